using System.Collections.Concurrent;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Calls;

// What the dispositions and the post-call survey ask of the queues: the queue a caller is connected from, each agent's
// last queue call, and the scheduler's DispositionSet.
public sealed partial class QueueCallCoordinator
{
    private readonly ConcurrentDictionary<string, AgentQueueCall> _lastCalls = new(StringComparer.Ordinal);

    /// <summary>The queue <paramref name="call"/>'s caller is connected to an agent from, or null (not connected through a
    /// queue, or that stay is over).</summary>
    public string? ConnectedQueueOf(ApplicationCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return _waiters.TryGetValue(call.InteractionId, out var waiter) && waiter.Connected && waiter.InScheduler ? waiter.Queue : null;
    }

    /// <summary>The last queue call <paramref name="agent"/> was bridged to (current or finished), or null.</summary>
    public AgentQueueCall? LastCallOf(string agent) => _lastCalls.GetValueOrDefault(agent);

    /// <summary>Tells the scheduler <paramref name="agent"/> set a disposition on <paramref name="interactionId"/>'s call
    /// (noted during the call; ends a wrap-up held for it by <c>dispositionRequired</c>).</summary>
    public void DispositionSet(string agent, string interactionId) => Scheduler.Post(new DispositionSet(agent, interactionId));

    private void RememberAgentCall(Waiter waiter, string agent, string queue) =>
        _lastCalls[agent] = new AgentQueueCall(agent, waiter.Call.Id, waiter.Call.InteractionId, queue, Now);
}
