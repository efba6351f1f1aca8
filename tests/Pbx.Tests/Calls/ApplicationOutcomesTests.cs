using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Calls;

public sealed class ApplicationOutcomesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, CallOutcome.AbandonedInIvr, CallOutcome.AbandonedInIvr)]              // server answered
    [InlineData(CallOutcome.AbandonedInIvr, CallOutcome.AbandonedInQueue, CallOutcome.AbandonedInQueue)]
    [InlineData(CallOutcome.AbandonedInQueue, CallOutcome.Overflowed, CallOutcome.Overflowed)]
    [InlineData(CallOutcome.Overflowed, CallOutcome.AbandonedInQueue, CallOutcome.AbandonedInQueue)] // next queue
    [InlineData(CallOutcome.AbandonedInQueue, CallOutcome.Answered, CallOutcome.Answered)]
    [InlineData(CallOutcome.Answered, CallOutcome.AbandonedInQueue, CallOutcome.Answered)] // transferred to a queue
    [InlineData(CallOutcome.Answered, CallOutcome.Overflowed, CallOutcome.Answered)]
    [InlineData(CallOutcome.Answered, CallOutcome.CompletedInIvr, CallOutcome.Answered)]
    public void Advance_takes_the_latest_report_but_a_person_reached_sticks(
        CallOutcome? current, CallOutcome proposed, CallOutcome expected) =>
        Assert.Equal(expected, CallOutcomes.Advance(current, proposed));

    [Theory]
    [InlineData(CallOutcome.AbandonedInIvr, CallOutcome.CompletedInIvr, CallOutcome.CompletedInIvr)] // info line
    [InlineData(CallOutcome.AbandonedInIvr, CallOutcome.AfterHours, CallOutcome.AfterHours)]
    [InlineData(CallOutcome.AfterHours, CallOutcome.CompletedInIvr, CallOutcome.AfterHours)] // closed message hangs up
    [InlineData(CallOutcome.Overflowed, CallOutcome.CompletedInIvr, CallOutcome.Overflowed)]  // all-busy goodbye
    [InlineData(CallOutcome.NoAgent, CallOutcome.Failed, CallOutcome.NoAgent)]                // queue refused, error path
    public void Advance_with_onlyFrom_names_the_ivr_end_without_overriding_a_queue(
        CallOutcome current, CallOutcome proposed, CallOutcome expected) =>
        Assert.Equal(expected, CallOutcomes.Advance(current, proposed, onlyFrom: CallOutcome.AbandonedInIvr));

    [Theory]
    [InlineData(true, CallOutcome.Overflowed)]
    [InlineData(false, CallOutcome.NoAgent)]
    public void Overflow_without_any_logged_in_agent_is_NoAgent(bool anyLoggedIn, CallOutcome expected) =>
        Assert.Equal(expected, CallOutcomes.OfOverflow(anyLoggedIn));

    [Theory]
    [InlineData(CancelReason.RingTimeout, "ring timeout")]
    [InlineData(CancelReason.AgentPaused, "agent paused")]
    [InlineData(CancelReason.AgentLoggedOut, "agent logged out")]
    [InlineData(CancelReason.CallerHungUp, null)]       // an abandon follows, not a no-answer
    [InlineData(CancelReason.AnsweredElsewhere, null)]  // ring-all: another agent was faster
    public void Cancelled_rings_are_no_answer_only_when_the_agent_missed_the_call(CancelReason reason, string? detail)
    {
        QueueCallEvent? e = QueueCallCoordinator.NoAnswerOnCancel(reason, "support", "1001", T0);
        Assert.Equal(detail, e?.Detail);
        if (e is not null)
        {
            Assert.Equal(new QueueCallEvent(QueueEventKind.AgentNoAnswer, "support", T0, "1001", Detail: detail), e);
        }
    }

    [Theory]
    [InlineData(RingOutcome.Answered, null)]
    [InlineData(RingOutcome.Busy, "busy")]
    [InlineData(RingOutcome.NoAnswer, "no answer")]
    [InlineData(RingOutcome.Rejected, "rejected")]
    public void Ring_results_other_than_answered_are_no_answer(RingOutcome outcome, string? detail)
    {
        QueueCallEvent? e = QueueCallCoordinator.NoAnswerOnResult(outcome, "sales", "1003", T0);
        Assert.Equal(detail, e?.Detail);
        Assert.True(e is null || (e.Kind == QueueEventKind.AgentNoAnswer && e.Agent == "1003" && e.Queue == "sales"));
    }

    [Theory]
    [InlineData(OverflowKind.Queue, "operator", "queue:operator")]
    [InlineData(OverflowKind.Hangup, "en/ivr/all-busy", "hangup:en/ivr/all-busy")]
    [InlineData(OverflowKind.Transfer, "1004", "transfer:1004")]
    [InlineData(OverflowKind.Application, null, "application")]
    public void Overflow_detail_names_kind_and_target(OverflowKind kind, string? target, string expected) =>
        Assert.Equal(expected, QueueCallCoordinator.OverflowDetail(new OverflowTarget(kind, target)));
}
