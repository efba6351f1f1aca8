using System.Collections.Concurrent;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Calls;

// Queue events for the call record and statistics (ICallObserver.OnQueueEvent), and the outcome a queue gives a call.
public sealed partial class QueueCallCoordinator
{
    private readonly ConcurrentDictionary<string, AgentState> _agentStates = new(StringComparer.Ordinal);

    /// <summary>Clock of the queue events (tests may replace it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>True when at least one member of <paramref name="queue"/> is logged in (any state but logged out).</summary>
    public bool AnyAgentLoggedIn(string queue) =>
        Config.Find(queue) is { } config && config.Members.Any(m =>
            _agentStates.TryGetValue(m.Agent, out var state) && state != AgentState.LoggedOut);

    /// <summary>
    /// The no-answer event for a ring the scheduler cancels, or null when the cancel is not the agent's doing (the
    /// caller hung up, another agent answered first: no event).
    /// </summary>
    public static QueueCallEvent? NoAnswerOnCancel(CancelReason reason, string queue, string agent, DateTimeOffset at) =>
        reason switch
        {
            CancelReason.RingTimeout => new(QueueEventKind.AgentNoAnswer, queue, at, agent, Detail: "ring timeout"),
            CancelReason.AgentPaused => new(QueueEventKind.AgentNoAnswer, queue, at, agent, Detail: "agent paused"),
            CancelReason.AgentLoggedOut => new(QueueEventKind.AgentNoAnswer, queue, at, agent, Detail: "agent logged out"),
            _ => null,
        };

    /// <summary>The no-answer event for a ring that ended by itself without an answer (busy, rejected, no answer), or
    /// null when it was answered.</summary>
    public static QueueCallEvent? NoAnswerOnResult(RingOutcome outcome, string queue, string agent, DateTimeOffset at) =>
        outcome switch
        {
            RingOutcome.Answered => null,
            RingOutcome.Busy => new(QueueEventKind.AgentNoAnswer, queue, at, agent, Detail: "busy"),
            RingOutcome.NoAnswer => new(QueueEventKind.AgentNoAnswer, queue, at, agent, Detail: "no answer"),
            _ => new(QueueEventKind.AgentNoAnswer, queue, at, agent, Detail: "rejected"),
        };

    /// <summary>Where an overflow sends the caller, for the event's detail: <c>queue:operator</c>,
    /// <c>hangup:en/ivr/all-busy</c>, <c>transfer:1004</c>, <c>application</c> (the IVR's own overflow path).</summary>
    public static string OverflowDetail(OverflowTarget target)
    {
        var kind = target.Kind.ToString().ToLowerInvariant();
        return target.Target is { Length: > 0 } where ? kind + ":" + where : kind;
    }

    private DateTimeOffset Now => Clock.GetUtcNow();

    private void TrackAgent(AgentStateChanged state) => _agentStates[state.Agent] = state.To;

    private static void Report(Waiter waiter, QueueCallEvent e) => waiter.Call.ReportQueueEvent(e);

    private void ReportEntered(Waiter waiter) =>
        Report(waiter, new QueueCallEvent(QueueEventKind.Entered, waiter.Queue, Now, Priority: waiter.Entry.Priority));

    /// <summary>Answered at the agent's 2xx (<paramref name="answeredAt"/>), not when the bridge is executed.</summary>
    private void ReportAnswered(Waiter waiter, string agent, DateTimeOffset? answeredAt)
    {
        var now = answeredAt is { } at && at < Now ? at : Now;
        Report(waiter, new QueueCallEvent(QueueEventKind.Answered, waiter.Queue, now, agent, waiter.Entry.Priority,
            now - waiter.EnteredAt));
    }

    /// <summary>The caller left while waiting or ringing: reported once per queue stay, before the call record closes
    /// when the caller's BYE is the cause (<see cref="ApplicationCall.CallerLeaving"/>), after it otherwise.</summary>
    private void ReportAbandoned(Waiter waiter)
    {
        if (waiter.Connected || !waiter.InScheduler || Interlocked.Exchange(ref waiter.Closed, 1) != 0)
        {
            return;
        }
        var now = Now;
        Report(waiter, new QueueCallEvent(QueueEventKind.Abandoned, waiter.Queue, now, Priority: waiter.Entry.Priority,
            Wait: now - waiter.EnteredAt));
    }
}
