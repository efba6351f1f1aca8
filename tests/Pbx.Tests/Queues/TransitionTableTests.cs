using Telephony.Pbx.Queues;

namespace Telephony.Pbx.Tests.Queues;

public sealed class TransitionTableTests
{
    [Fact]
    public void Terminal_call_states_have_no_way_out()
    {
        foreach (var state in Enum.GetValues<CallState>().Where(CallTransitions.IsTerminal))
        {
            Assert.DoesNotContain(CallTransitions.Table, t => t.From == state);
        }
    }

    [Fact]
    public void Every_call_and_agent_state_is_reachable()
    {
        Assert.All(Enum.GetValues<CallState>().Where(s => s != CallState.Waiting), s => Assert.Contains(CallTransitions.Table, t => t.To == s));
        Assert.All(Enum.GetValues<AgentState>(), s => Assert.Contains(AgentTransitions.Table, t => t.To == s));
    }

    [Theory]
    [InlineData(AgentState.LoggedOut, AgentState.Ringing)]
    [InlineData(AgentState.Ringing, AgentState.Ringing)]
    [InlineData(AgentState.OnCall, AgentState.Ringing)]
    [InlineData(AgentState.WrapUp, AgentState.Ringing)]
    [InlineData(AgentState.Paused, AgentState.Ringing)]
    [InlineData(AgentState.Paused, AgentState.OnCall)]
    public void Only_an_available_agent_can_be_offered_a_call(AgentState from, AgentState to) =>
        Assert.False(AgentTransitions.IsAllowed(from, to));

    [Fact]
    public void Connected_call_cannot_be_offered_again() =>
        Assert.False(CallTransitions.IsAllowed(CallState.Connected, CallState.Offering));

    [Fact]
    public void Tables_have_no_duplicate_rows()
    {
        Assert.Equal(CallTransitions.Table.Count, CallTransitions.Table.Select(t => (t.From, t.To)).Distinct().Count());
        Assert.Equal(AgentTransitions.Table.Count, AgentTransitions.Table.Select(t => (t.From, t.To)).Distinct().Count());
    }
}
