using Telephony.Ivr.Engine;
using Telephony.Pbx.Contracts;

namespace Telephony.Ivr.Tests.Engine;

/// <summary>The outcome the IVR names for a call as it enters nodes (after hours, completed, failed) and when it ends.</summary>
public sealed class IvrOutcomeRulesTests
{
    private const string Yaml = """
        flows:
          line:
            numbers: ["100"]
            start: hours
            on_error: sorry
            nodes:
              hours:
                type: schedule
                time_zone: UTC
                hours: { mon-sun: "08:00-18:00" }
                holidays: ["12-25"]
                open: menu
                closed: closed
                holiday: closed
              menu:
                type: menu
                prompt: p
                options:
                  "1": queue
                  "2": info
                events: { timeout: info, invalid: info }
              queue:
                type: queue
                queue: support
                overflow: info
              info:
                type: hangup
                prompt: p
              closed:
                type: hangup
                prompt: p
              sorry:
                type: hangup
                prompt: p
        """;

    [Fact]
    public void Closed_branch_of_a_schedule_is_after_hours_even_when_it_hangs_up_at_once() =>
        Assert.Equal(CallOutcome.AfterHours, IvrOutcomeRules.OnNodeEntered(FlowText.Load(Yaml), "hours", "closed"));

    [Fact]
    public void Hangup_node_completes_the_call() =>
        Assert.Equal(CallOutcome.CompletedInIvr, IvrOutcomeRules.OnNodeEntered(FlowText.Load(Yaml), "menu", "info"));

    [Fact]
    public void Hangup_node_on_the_error_path_fails_the_call() =>
        Assert.Equal(CallOutcome.Failed, IvrOutcomeRules.OnNodeEntered(FlowText.Load(Yaml), "menu", "sorry"));

    [Theory]
    [InlineData(null, "hours")]
    [InlineData("hours", "menu")]
    [InlineData("menu", "queue")]
    public void Other_nodes_name_no_outcome(string? previous, string node) =>
        Assert.Null(IvrOutcomeRules.OnNodeEntered(FlowText.Load(Yaml), previous, node));

    [Theory]
    [InlineData("queue", true)]
    [InlineData("menu", false)]
    [InlineData("info", false)]
    public void Queue_and_transfer_nodes_are_handoffs(string node, bool handoff) =>
        Assert.Equal(handoff, IvrOutcomeRules.IsHandoff(FlowText.Load(Yaml), node));

    [Theory]
    [InlineData(IvrEndReason.Error, CallOutcome.Failed)]
    [InlineData(IvrEndReason.CallerHangup, null)]
    public void An_ivr_error_fails_the_call(IvrEndReason reason, CallOutcome? expected) =>
        Assert.Equal(expected, IvrOutcomeRules.OnEnded(reason));

    [Fact]
    public void Rules_apply_only_while_the_call_stands_in_the_ivr()
    {
        // The IVR's after-hours message after a queue overflow does not override the queue's outcome.
        Assert.Equal(CallOutcome.Overflowed,
            CallOutcomes.Advance(CallOutcome.Overflowed, CallOutcome.CompletedInIvr, IvrOutcomeRules.InIvr));
        Assert.Equal(CallOutcome.AfterHours,
            CallOutcomes.Advance(IvrOutcomeRules.InIvr, CallOutcome.AfterHours, IvrOutcomeRules.InIvr));
    }
}
