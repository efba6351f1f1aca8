using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Calls;

public sealed class ApplicationOutcomesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, ApplicationOutcome.AbandonedInIvr, ApplicationOutcome.AbandonedInIvr)]              // server answered
    [InlineData(ApplicationOutcome.AbandonedInIvr, ApplicationOutcome.AbandonedInQueue, ApplicationOutcome.AbandonedInQueue)]
    [InlineData(ApplicationOutcome.AbandonedInQueue, ApplicationOutcome.Overflowed, ApplicationOutcome.Overflowed)]
    [InlineData(ApplicationOutcome.Overflowed, ApplicationOutcome.AbandonedInQueue, ApplicationOutcome.AbandonedInQueue)] // next queue
    [InlineData(ApplicationOutcome.AbandonedInQueue, ApplicationOutcome.Answered, ApplicationOutcome.Answered)]
    [InlineData(ApplicationOutcome.Answered, ApplicationOutcome.AbandonedInQueue, ApplicationOutcome.Answered)] // transferred to a queue
    [InlineData(ApplicationOutcome.Answered, ApplicationOutcome.Overflowed, ApplicationOutcome.Answered)]
    [InlineData(ApplicationOutcome.Answered, ApplicationOutcome.CompletedInIvr, ApplicationOutcome.Answered)]
    public void Advance_takes_the_latest_report_but_a_person_reached_sticks(
        ApplicationOutcome? current, ApplicationOutcome proposed, ApplicationOutcome expected) =>
        Assert.Equal(expected, ApplicationOutcomes.Advance(current, proposed));

    [Theory]
    [InlineData(ApplicationOutcome.AbandonedInIvr, ApplicationOutcome.CompletedInIvr, ApplicationOutcome.CompletedInIvr)] // info line
    [InlineData(ApplicationOutcome.AbandonedInIvr, ApplicationOutcome.AfterHours, ApplicationOutcome.AfterHours)]
    [InlineData(ApplicationOutcome.AfterHours, ApplicationOutcome.CompletedInIvr, ApplicationOutcome.AfterHours)] // closed message hangs up
    [InlineData(ApplicationOutcome.Overflowed, ApplicationOutcome.CompletedInIvr, ApplicationOutcome.Overflowed)]  // all-busy goodbye
    [InlineData(ApplicationOutcome.NoAgent, ApplicationOutcome.Failed, ApplicationOutcome.NoAgent)]                // queue refused, error path
    public void Advance_with_onlyFrom_names_the_ivr_end_without_overriding_a_queue(
        ApplicationOutcome current, ApplicationOutcome proposed, ApplicationOutcome expected) =>
        Assert.Equal(expected, ApplicationOutcomes.Advance(current, proposed, onlyFrom: ApplicationOutcome.AbandonedInIvr));

    [Theory]
    [InlineData(true, ApplicationOutcome.Overflowed)]
    [InlineData(false, ApplicationOutcome.NoAgent)]
    public void Overflow_without_any_logged_in_agent_is_NoAgent(bool anyLoggedIn, ApplicationOutcome expected) =>
        Assert.Equal(expected, ApplicationOutcomes.OfOverflow(anyLoggedIn));

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
            Assert.Equal(new QueueCallEvent(QueueCallEventKind.AgentNoAnswer, "support", T0, "1001", Detail: detail), e);
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
        Assert.True(e is null || (e.Kind == QueueCallEventKind.AgentNoAnswer && e.Agent == "1003" && e.Queue == "sales"));
    }

    [Theory]
    [InlineData(OverflowKind.Queue, "operator", "queue:operator")]
    [InlineData(OverflowKind.Hangup, "en/ivr/all-busy", "hangup:en/ivr/all-busy")]
    [InlineData(OverflowKind.Transfer, "1004", "transfer:1004")]
    [InlineData(OverflowKind.Application, null, "application")]
    public void Overflow_detail_names_kind_and_target(OverflowKind kind, string? target, string expected) =>
        Assert.Equal(expected, QueueCallCoordinator.OverflowDetail(new OverflowTarget(kind, target)));
}
