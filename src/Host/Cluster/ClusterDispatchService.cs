using Npgsql;
using Telephony.Cluster.Calls;
using Telephony.Cluster.Dispatch;
using Telephony.Cluster.Leases;
using Telephony.Host.Ivr;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Host.Cluster;

/// <summary>
/// One owner per queue dispatches (<c>cluster.database</c> set; off otherwise). Every <see cref="Period"/>:
/// <list type="number">
/// <item>this node's pending callbacks are mirrored into their queues' lines (<see cref="CallbackLine"/>): owners assign
/// them like callers, and this node dials one only once assigned;</item>
/// <item>for each queue this node owns (<see cref="QueueLeaseService.Owned"/>) a <see cref="QueueOwner"/> round: the
/// cluster's waiting callers of the queue, in order, get agents free across the cluster, each assignment fenced by the
/// lease;</item>
/// <item>the offers that ended unanswered here are handed back (<see cref="ClusterDispatchGate.Released"/>);</item>
/// <item>this node's assignments are read and given to the scheduler (<see cref="ClusterDispatchGate"/>), which rings
/// them.</item>
/// </list>
/// A node that takes over a queue (its owner died) runs its rounds on the same line: it lives in the database.
/// </summary>
public sealed class ClusterDispatchService(PbxOptions options, ClusterDatabase? cluster, ClusterDispatchGate gate, CallCenter center,
    QueueLeaseService leases, ILogger<ClusterDispatchService> logger) : BackgroundService
{
    /// <summary>How often owners dispatch and nodes read their assignments.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromMilliseconds(150);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (cluster is null)
        {
            return;
        }
        var node = options.Cluster.EffectiveNodeId;
        var dataSource = cluster.DataSource; // the node's pool (ClusterDatabase), disposed by the host
        var assignments = new QueueAssignmentStore(dataSource);
        var owner = new QueueOwner(new QueueOwnerStore(dataSource, ClusterNodeService.DeadAfter), order: new ClusterLineOrder(() => center.Queues?.Config));
        var callbacks = new CallbackLine(node, new ClusterCallStore(dataSource));
        string? lastProblem = null;
        logger.LogInformation("Cluster dispatch on: node {Node} rings what queue owners assign, every {Period} ms", node, Period.TotalMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RoundAsync(node, owner, assignments, callbacks, stoppingToken).ConfigureAwait(false);
                lastProblem = null;
                await Task.Delay(Period, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                if (ex.Message != lastProblem)
                {
                    logger.LogWarning("Cluster dispatch: {Reason}", ex.Message); // e.g. not migrated yet: retried
                    lastProblem = ex.Message;
                }
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task RoundAsync(string node, QueueOwner owner, QueueAssignmentStore assignments, CallbackLine callbacks, CancellationToken ct)
    {
        if (center.Queues is not { } queues)
        {
            return;
        }
        await SyncCallbacksAsync(queues, callbacks, ct).ConfigureAwait(false);
        foreach (var (name, lease) in leases.Owned)
        {
            if (queues.Config.Find(name) is not { } config)
            {
                continue;
            }
            var (assigned, fenced) = await owner.RunAsync(lease, ToOwned(config), ct).ConfigureAwait(false);
            foreach (var (callId, agent) in assigned)
            {
                logger.LogInformation("Queue {Queue}: caller or callback {Call} assigned to agent {Agent} (fencing token {Token})", name, callId, agent, lease.Token);
            }
            if (fenced)
            {
                logger.LogWarning("Queue {Queue}: assignment refused, lease {Token} is no longer current", name, lease.Token);
            }
        }
        var written = gate.TakeReleases();
        try
        {
            foreach (var (_, callId, agent) in written)
            {
                await assignments.ReleaseAsync(callId, agent, ct).ConfigureAwait(false);
            }
        }
        catch
        {
            gate.Requeue(written); // all again next time: handing back twice is harmless
            throw;
        }
        var mine = await assignments.AssignmentsForAsync(node, ct).ConfigureAwait(false);
        if (gate.Update(mine, written))
        {
            queues.Scheduler.Post(TimerTick.Instance); // dispatch again: ring the new assignments
        }
    }

    /// <summary>Mirrors the scheduler's pending callbacks (waiting, offered, or attempting) into the cluster lines.</summary>
    private async Task SyncCallbacksAsync(QueueCallCoordinator queues, CallbackLine line, CancellationToken ct)
    {
        if (queues.Callbacks is not { } desk || (line.IsEmpty && desk.Pending.Count == 0))
        {
            return;
        }
        var snapshot = await queues.Scheduler.GetSnapshotAsync(ct).ConfigureAwait(false);
        var pending = new List<LocalCallback>();
        foreach (var call in snapshot.Queues.SelectMany(q => q.Calls))
        {
            if (call is { Kind: QueueEntryKind.Callback, State: CallState.Waiting or CallState.Offering or CallState.Connected })
            {
                var arrived = desk.Find(call.InteractionId)?.ArrivedAt ?? snapshot.At - call.WaitedInQueue;
                pending.Add(new LocalCallback(call.InteractionId, call.Queue, call.BasePriority, arrived, call.NotBefore,
                    call.State == CallState.Connected));
                gate.Track(call.InteractionId, call.InteractionId);
            }
        }
        foreach (var id in await line.SyncAsync(pending, ct).ConfigureAwait(false))
        {
            gate.Forget(id);
        }
    }

    private static OwnedQueue ToOwned(QueueConfig config) => new(config.Name,
        [.. config.Members.Select(m => new OwnedQueueMember(m.Agent, m.Penalty))],
        config.Strategy == QueueStrategy.RoundRobin ? OwnerStrategy.RoundRobin : OwnerStrategy.LongestIdle, config.NoAnswerSkip);
}
