using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

/// <summary><see cref="AgentLost"/>: a connected caller whose browser agent did not come back within the re-attach grace
/// waits again at the head of the queue, ahead of higher priorities; the agent is released.</summary>
public sealed class QueueSchedulerAgentLostTests
{
    [Fact]
    public void Lost_agent_puts_the_caller_back_at_the_head_ahead_of_a_higher_priority_caller()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a", "b"));
        h.Login("a");
        h.Arrive("first", "q", 0);
        h.Answer("a");
        h.Advance(1);
        h.Arrive("vip", "q", 9); // waits: b is not logged in
        h.Do(new AgentLoggedOut("a")); // the page's WebSocket closed: logout pending while on the call
        Assert.Equal(AgentState.OnCall, h.Agent("a"));

        Assert.Empty(Rings(h.Do(new AgentLost("first"))));
        Assert.Equal(CallState.Waiting, h.Call("first"));
        Assert.Equal(AgentState.LoggedOut, h.Agent("a"));

        var rings = Rings(h.Do(new AgentLoggedIn("b")));
        Assert.Equal(["b:first"], rings);
        h.Answer("b");
        Assert.Equal(CallState.Connected, h.Call("first"));
        h.Do(new AgentCallEnded("first"));
        Assert.Equal(CallState.Offering, h.Call("vip")); // then the others, in their order
    }

    [Fact]
    public void Lost_agent_still_registered_is_available_again_and_an_unconnected_call_is_ignored()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.LongestIdle, "a"));
        h.Login("a");
        h.Arrive("c1", "q");
        Assert.Contains(h.Do(new AgentLost("c1")), a => a is CommandIgnored); // only ringing yet
        h.Answer("a");
        var actions = h.Do(new AgentLost("c1"));
        Assert.Equal(["a:c1"], Rings(actions)); // the page is back but the re-attach failed: offered again like any call
        Assert.Equal(AgentState.Ringing, h.Agent("a"));
    }
}
