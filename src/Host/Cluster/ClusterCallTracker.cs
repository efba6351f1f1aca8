using System.Threading.Channels;
using Telephony.Cluster.Calls;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;

namespace Telephony.Host.Cluster;

/// <summary>
/// The call observer of a cluster node (<c>cluster.database</c> set): passes everything to the call records
/// (<paramref name="inner"/>) and records in <c>cluster_calls</c> which calls have their media on this node and, while a
/// caller waits in a queue, its place in line, so that a survivor can recover them if this node dies
/// (<see cref="ClusterNodeService"/>). Nothing touches the database on the call threads: the changes are queued, in order,
/// and written by <see cref="ClusterNodeService"/>'s writer. With a <paramref name="bus"/>, the same changes go to the other
/// nodes' live views as bus events (<see cref="BusLiveView"/>), queued as well.
/// </summary>
/// <param name="gate">The node's dispatch gate: told which call waits as which interaction (the owners assign calls).</param>
public sealed class ClusterCallTracker(ICallObserver inner, string node, BusNode? bus = null, ClusterDispatchGate? gate = null) : ICallObserver
{
    private readonly Channel<Func<ClusterCallStore, CancellationToken, Task>> _work =
        Channel.CreateUnbounded<Func<ClusterCallStore, CancellationToken, Task>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>This node's id.</summary>
    public string Node { get; } = node;

    /// <summary>The queued writes, in the order the calls changed (read by <see cref="ClusterNodeService"/>).</summary>
    internal ChannelReader<Func<ClusterCallStore, CancellationToken, Task>> Work => _work.Reader;

    public void OnCallStarted(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        inner.OnCallStarted(call);
        var (id, caller, dialed, at) = (call.Id, call.CallerNumber, call.DialedNumber, call.StartedAt);
        _work.Writer.TryWrite((store, ct) => store.StartAsync(id, Node, caller, dialed, at, ct));
        Live(call)?.PublishLive(BusLiveView.CallStarted, BusNode.Describe(call));
    }

    public void OnCallAnswered(Call call, CallLeg caller)
    {
        ArgumentNullException.ThrowIfNull(call);
        inner.OnCallAnswered(call, caller);
        Live(call)?.PublishLive(BusLiveView.CallAnswered, new BusLiveEvent(call.Id, AnsweredAt: call.AnsweredAt, Agent: BusNode.AgentOf(call)));
    }

    /// <summary>The bus, for the calls the live view shows (not supervisor calls: they show as their target's supervision).</summary>
    private BusNode? Live(Call call) => call is SupervisorCall ? null : bus;

    public void OnDigit(Call call, CallLeg leg, char digit) => inner.OnDigit(call, leg, digit);

    public void OnCallEnded(Call call, CallEndInfo info)
    {
        ArgumentNullException.ThrowIfNull(call);
        inner.OnCallEnded(call, info);
        var id = call.Id;
        gate?.Forget(id);
        _work.Writer.TryWrite((store, ct) => store.EndAsync(id, ct));
        Live(call)?.PublishLive(BusLiveView.CallEnded, new BusLiveEvent(id, Detail: info?.Outcome.ToString()));
    }

    /// <summary>Queues the write of an agent's new state on this node (<c>cluster_agents</c>), in order with the call
    /// changes: an agent answering is OnCall before its caller leaves the line.</summary>
    public void AgentStateChanged(string agent, string state, DateTimeOffset at) =>
        _work.Writer.TryWrite((store, ct) => new Telephony.Cluster.Agents.ClusterAgentStore(store.DataSource).SetAsync(Node, agent, state, at, ct));

    public void OnSupervision(Call call, SupervisionEvent e) => inner.OnSupervision(call, e);

    public void OnApplicationProgress(Call call, ApplicationProgress progress) => inner.OnApplicationProgress(call, progress);

    public void OnQueueEvent(Call call, QueueCallEvent e)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(e);
        inner.OnQueueEvent(call, e);
        var id = call.Id;
        switch (e.Kind)
        {
            case QueueEventKind.Entered:
                if (call is ApplicationCall application)
                {
                    gate?.Track(id, application.InteractionId);
                }
                var (queue, priority, at) = (e.Queue, e.Priority ?? 0, e.At);
                Live(call)?.PublishLive(BusLiveView.QueueEntered, new BusLiveEvent(id, Queue: queue, At: at));
                _work.Writer.TryWrite(async (store, ct) => await store.EnterQueueAsync(id, queue, priority, at, ct).ConfigureAwait(false));
                break;
            case QueueEventKind.Answered or QueueEventKind.Abandoned or QueueEventKind.Transferred or QueueEventKind.CallbackRequested:
                Live(call)?.PublishLive(BusLiveView.QueueLeft, new BusLiveEvent(id, Queue: e.Queue, Agent: e.Agent, Detail: e.Kind.ToString(), At: e.At));
                _work.Writer.TryWrite((store, ct) => store.LeaveQueueAsync(id, ct));
                break;
            default:
                break; // rung, no answer: still waiting; overflowed: an Entered for the target follows (same place)
        }
    }
}
