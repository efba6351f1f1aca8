using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Pbx.Tests.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>The queue scenarios, run on the shipped <c>config/queues.yaml</c>.</summary>
public sealed class SampleConfigScenarioTests
{
    private static QueueHarness Sample() => new(QueuesConfigLoader.LoadFile(QueuesConfigLoaderTests.SampleFile()));

    [Fact]
    public void Support_caller_reaches_a_logged_in_support_agent()
    {
        var h = Sample();
        h.Login("1001");
        var ring = Assert.Single(h.Do(new CallArrived("c1", "support", 0, ["ivr"], new Dictionary<string, string> { ["option"] = "2" })).OfType<RingAgent>());
        Assert.Equal("1001", ring.Agent);
        Assert.Equal("2", ring.Data["option"]);
        Assert.Single(h.Answer("1001").OfType<BridgeCallToAgent>());
    }

    [Fact]
    public void Vip_arriving_after_two_normal_callers_is_answered_first()
    {
        var h = Sample();
        h.Arrive("normal1", "support", 0);
        h.Advance(5);
        h.Arrive("normal2", "support", 0);
        h.Advance(5);
        h.Arrive("vip", "support", 5);
        Assert.Equal(["1002:vip"], Rings(h.Do(new AgentLoggedIn("1002"))));
    }

    [Fact]
    public void No_agent_caller_hears_position_then_overflows_to_operator_then_goodbye()
    {
        var h = Sample();
        h.Arrive("c1", "support");
        var first = Assert.Single(h.Advance(30).OfType<AnnouncePosition>());
        Assert.Equal((1, (TimeSpan?)null), (first.Position, first.EstimatedWait));
        var toOperator = Assert.Single(h.Advance(270).OfType<CallOverflowed>());
        Assert.Equal(OverflowTarget.ToQueue("operator"), toOperator.Target);
        var goodbye = Assert.Single(h.Advance(180).OfType<CallOverflowed>());
        Assert.Equal(OverflowTarget.Goodbye("en/ivr/all-busy"), goodbye.Target);
        Assert.Null(h.Call("c1"));
    }

    [Fact]
    public void Caller_hanging_up_while_waiting_is_counted_as_abandoned()
    {
        var h = Sample();
        h.Arrive("c1", "billing");
        h.Advance(12);
        var abandoned = Assert.Single(h.Do(new CallerHungUp("c1")).OfType<CallAbandoned>());
        Assert.Equal(("billing", TimeSpan.FromSeconds(12)), (abandoned.Queue, abandoned.Waited));
    }

    [Fact]
    public void Operator_rings_every_free_agent()
    {
        var h = Sample();
        h.Login("1001", "1002", "1003", "1004");
        Assert.Equal(["1001:op", "1002:op", "1003:op", "1004:op"], Rings(h.Arrive("op", "operator")));
    }
}
