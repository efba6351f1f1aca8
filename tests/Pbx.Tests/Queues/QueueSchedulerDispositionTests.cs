using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

/// <summary><c>dispositionRequired</c>: the agent leaves wrap-up only once the call has a disposition.</summary>
public sealed class QueueSchedulerDispositionTests
{
    private static QueueConfig Required(int wrapUpSeconds) => Queue("q", QueueStrategy.LongestIdle, "a") with
    {
        WrapUp = TimeSpan.FromSeconds(wrapUpSeconds),
        Dispositions = ["resolved", "follow-up"],
        DispositionRequired = true,
    };

    private static QueueHarness Connected(QueueConfig q)
    {
        var h = new QueueHarness(q);
        h.Login("a");
        h.Arrive("c1", "q");
        h.Answer("a");
        return h;
    }

    [Fact]
    public void Wrap_up_lasts_past_its_seconds_until_the_disposition_is_set()
    {
        var h = Connected(Required(10));
        h.Do(new AgentCallEnded("c1"));
        h.Arrive("c2", "q");
        Assert.Empty(Rings(h.Advance(60)));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        Assert.True(h.Scheduler.Snapshot().FindAgent("a")!.DispositionPending);
        Assert.Null(h.Scheduler.NextDeadline is { } d && d <= h.Time.GetUtcNow() ? d : null); // no timer spinning
        Assert.Equal(["a:c2"], Rings(h.Do(new DispositionSet("a", "c1"))));
    }

    [Fact]
    public void Disposition_during_the_call_makes_the_wrap_up_a_plain_one()
    {
        var h = Connected(Required(10));
        h.Do(new DispositionSet("a", "c1"));
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        Assert.False(h.Scheduler.Snapshot().FindAgent("a")!.DispositionPending);
        h.Arrive("c2", "q");
        Assert.Equal(["a:c2"], Rings(h.Advance(10)));
    }

    [Fact]
    public void Disposition_set_before_the_wrap_up_seconds_end_leaves_the_timer_in_charge()
    {
        var h = Connected(Required(10));
        h.Do(new AgentCallEnded("c1"));
        h.Advance(3);
        h.Do(new DispositionSet("a", "c1"));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        h.Advance(7);
        Assert.Equal(AgentState.Available, h.Agent("a"));
    }

    [Fact]
    public void Without_wrap_up_seconds_a_required_disposition_still_holds_the_agent()
    {
        var h = Connected(Required(0));
        h.Arrive("c2", "q");
        h.Do(new AgentCallEnded("c1"));
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        Assert.Equal(["a:c2"], Rings(h.Do(new DispositionSet("a", "c1"))));
    }

    [Fact]
    public void Disposition_for_another_call_is_ignored_and_a_pause_waits_for_the_disposition()
    {
        var h = Connected(Required(5));
        h.Do(new AgentCallEnded("c1"));
        Assert.Contains(h.Do(new DispositionSet("a", "old-call")), a => a is CommandIgnored);
        h.Do(new AgentPaused("a", "lunch"));
        h.Advance(30);
        Assert.Equal(AgentState.WrapUp, h.Agent("a"));
        h.Do(new DispositionSet("a", "c1"));
        Assert.Equal(AgentState.Paused, h.Agent("a"));
        Assert.Equal("lunch", h.Scheduler.Snapshot().FindAgent("a")!.PauseReason);
    }

    [Fact]
    public void Logout_ends_a_wrap_up_waiting_for_a_disposition_and_a_config_without_the_rule_releases_it()
    {
        var h = Connected(Required(5));
        h.Do(new AgentCallEnded("c1"));
        h.Do(new AgentLoggedOut("a"));
        Assert.Equal(AgentState.LoggedOut, h.Agent("a"));

        var g = Connected(Required(5));
        g.Do(new AgentCallEnded("c1"));
        g.Advance(10);
        g.Do(new ConfigChanged(new QueuesConfig { Queues = [Required(5) with { DispositionRequired = false }] }));
        Assert.Equal(AgentState.Available, g.Agent("a"));
    }

    [Fact]
    public void Queues_yaml_reads_dispositions_the_requirement_and_the_survey()
    {
        var config = QueuesConfigLoader.Parse("""
            defaults:
              dispositions: [resolved, wrong-number]
            queues:
              - name: a
                members: ["1001"]
                dispositionRequired: true
                survey: csat
              - name: b
                members: ["1002"]
                dispositions: [sale]
                survey: none
            """);
        Assert.Equal(["resolved", "wrong-number"], config.Find("a")!.Dispositions);
        Assert.True(config.Find("a")!.DispositionRequired);
        Assert.Equal("csat", config.Find("a")!.Survey);
        Assert.Equal(["sale"], config.Find("b")!.Dispositions);
        Assert.False(config.Find("b")!.DispositionRequired);
        Assert.Null(config.Find("b")!.Survey);
    }

    [Theory]
    [InlineData("dispositions: resolved", "must be a list of codes")]
    [InlineData("dispositions: [resolved, resolved]", "listed twice")]
    [InlineData("dispositions: [\"no spaces\"]", "may only use letters")]
    [InlineData("dispositions: [a, b, c, d, e, f, g, h, i, j]", "at most 9 disposition codes")]
    [InlineData("dispositionRequired: true", "requires a disposition but lists no 'dispositions'")]
    [InlineData("dispositionRequired: maybe", "must be true or false")]
    public void Bad_disposition_settings_are_refused_with_their_line(string setting, string message)
    {
        var (config, errors) = QueuesConfigLoader.TryParse($"""
            queues:
              - name: a
                members: ["1001"]
                {setting}
            """);
        Assert.Null(config);
        var error = Assert.Single(errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line >= 2, error.ToString());
    }
}
