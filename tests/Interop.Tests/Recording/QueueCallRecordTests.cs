using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Interop.Tests.Recording;

/// <summary>Unit tests (no peers, no sockets) of how the Host stores IVR and queue calls: queue event kinds, and every
/// outcome an application call can name mapped to a call-record outcome and a missed-call decision.</summary>
public sealed class QueueCallRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(QueueCallEventKind.Entered, QueueEventKind.Entered)]
    [InlineData(QueueCallEventKind.AgentRung, QueueEventKind.AgentRung)]
    [InlineData(QueueCallEventKind.AgentNoAnswer, QueueEventKind.AgentNoAnswer)]
    [InlineData(QueueCallEventKind.Answered, QueueEventKind.Answered)]
    [InlineData(QueueCallEventKind.Abandoned, QueueEventKind.Abandoned)]
    [InlineData(QueueCallEventKind.Overflowed, QueueEventKind.Overflowed)]
    [InlineData(QueueCallEventKind.Transferred, QueueEventKind.Transferred)]
    public void Queue_event_kinds_map_one_to_one(QueueCallEventKind reported, QueueEventKind stored) =>
        Assert.Equal(stored, CallRecorder.KindOf(reported));

    [Fact]
    public void Every_reported_kind_is_mapped() =>
        Assert.Equal(Enum.GetValues<QueueCallEventKind>().Length,
            Enum.GetValues<QueueCallEventKind>().Select(CallRecorder.KindOf).Distinct().Count());

    [Theory]
    [InlineData(ApplicationOutcome.AbandonedInIvr, HangupParty.Caller, CallOutcome.AbandonedInIvr, true)]
    [InlineData(ApplicationOutcome.CompletedInIvr, HangupParty.System, CallOutcome.CompletedInIvr, false)]
    [InlineData(ApplicationOutcome.AbandonedInQueue, HangupParty.Caller, CallOutcome.AbandonedInQueue, true)]
    [InlineData(ApplicationOutcome.Overflowed, HangupParty.System, CallOutcome.Overflowed, true)]
    [InlineData(ApplicationOutcome.NoAgent, HangupParty.System, CallOutcome.NoAgent, true)]
    [InlineData(ApplicationOutcome.AfterHours, HangupParty.System, CallOutcome.AfterHours, true)]
    [InlineData(ApplicationOutcome.AfterHours, HangupParty.Caller, CallOutcome.AfterHours, true)] // left during the closed message
    [InlineData(ApplicationOutcome.Answered, HangupParty.Callee, CallOutcome.Answered, false)]
    [InlineData(ApplicationOutcome.Failed, HangupParty.System, CallOutcome.Failed, false)]
    public void Application_outcomes_classify_by_name_whatever_the_signalling_says(
        ApplicationOutcome named, HangupParty party, CallOutcome expected, bool missed)
    {
        // The server answered every one of these calls (SIP 200), so without the name they would all be "Answered".
        var info = new CallEndInfo(true, T0, T0.AddSeconds(20), party, "test", null, named.ToString());
        (CallOutcome outcome, _) = CallRecorder.Classify(info);
        Assert.Equal(expected, outcome);
        Assert.Equal(missed, CallOutcomes.IsMissed(outcome));
    }

    [Fact]
    public void Every_application_outcome_has_a_call_record_outcome() =>
        Assert.All(Enum.GetNames<ApplicationOutcome>(), name => Assert.True(Enum.TryParse<CallOutcome>(name, out _), name));
}
