using System.Collections.Concurrent;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <content>The agent state history (<see cref="IAgentStateObserver"/>: every change of every agent, with its time and
/// pause reason) and calls counted by outcome for <c>/metrics</c>.</content>
public sealed partial class CallRecorder : IAgentStateObserver
{
    private readonly ConcurrentDictionary<CallOutcome, long> _outcomes = new();

    /// <summary>Calls ended since start, by outcome (for <c>/metrics</c>).</summary>
    public IReadOnlyDictionary<CallOutcome, long> CallsByOutcome => _outcomes;

    /// <summary>Writes the change (<c>agent_states</c>, <c>agent.state</c> in the event log, the rollup and the talk or
    /// wrap-up time of the agent's queue visit) on the storage queue, in the order the scheduler made the changes.</summary>
    public void OnAgentStateChanged(AgentStateChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var state = ToActivity(change.To);
        var reason = change.To == AgentState.Paused ? change.PauseReason : null;
        Store(async () =>
        {
            await _agentStates.AppendAsync(change.Agent, state, reason, change.At).ConfigureAwait(false);
            _notifier.Notify();
        });
    }

    /// <summary>The queue scheduler's agent state as the statistics' activity (the same six states).</summary>
    public static AgentActivity ToActivity(AgentState state) => state switch
    {
        AgentState.LoggedOut => AgentActivity.LoggedOut,
        AgentState.Available => AgentActivity.Available,
        AgentState.Ringing => AgentActivity.Ringing,
        AgentState.OnCall => AgentActivity.OnCall,
        AgentState.WrapUp => AgentActivity.WrapUp,
        AgentState.Paused => AgentActivity.Paused,
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "unknown agent state"),
    };

    private void CountOutcome(CallOutcome outcome) => _outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
}
