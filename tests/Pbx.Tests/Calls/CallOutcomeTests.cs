using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;

namespace Telephony.Pbx.Tests.Calls;

/// <summary>The outcome a call gets from its signalling when its kind names none, and which outcomes are missed calls.</summary>
public sealed class CallOutcomeTests
{
    [Theory]
    [InlineData(true, null, CallOutcome.Answered, false)]
    [InlineData(false, 487, CallOutcome.Abandoned, true)] // CANCEL while ringing
    [InlineData(false, 486, CallOutcome.NoAgent, true)]   // busy
    [InlineData(false, 603, CallOutcome.NoAgent, true)]   // declined
    [InlineData(false, 480, CallOutcome.NoAgent, true)]   // not registered / ring timeout
    [InlineData(false, 404, CallOutcome.NoAgent, true)]
    [InlineData(false, 488, CallOutcome.Failed, false)]   // no common codec
    [InlineData(false, 503, CallOutcome.Failed, false)]   // no media ports
    [InlineData(false, null, CallOutcome.Failed, false)]
    public void Signalling_maps_answer_and_final_status_to_an_outcome_and_missed_flag(
        bool answered, int? status, CallOutcome outcome, bool missed)
    {
        var o = Call.OutcomeOfSignalling(answered, status);
        Assert.Equal(outcome, o);
        Assert.Equal(missed, CallOutcomes.IsMissed(o));
    }

    [Theory]
    [InlineData(CallOutcome.AbandonedInIvr, true)]
    [InlineData(CallOutcome.CompletedInIvr, false)]
    [InlineData(CallOutcome.AbandonedInQueue, true)]
    [InlineData(CallOutcome.Overflowed, true)]
    [InlineData(CallOutcome.NoAgent, true)]
    [InlineData(CallOutcome.AfterHours, true)]
    [InlineData(CallOutcome.Answered, false)]
    [InlineData(CallOutcome.Failed, false)]
    [InlineData(CallOutcome.Interrupted, false)]
    public void Application_outcomes_are_missed_or_not(CallOutcome outcome, bool missed) =>
        Assert.Equal(missed, CallOutcomes.IsMissed(outcome));
}
