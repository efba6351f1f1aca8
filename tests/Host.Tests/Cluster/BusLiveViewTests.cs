using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Bus;
using Telephony.Host.Cluster;

namespace Telephony.Host.Tests.Cluster;

/// <summary>The other nodes' live calls from their bus events: started, answered, queued, ended; a silent node's calls leave.</summary>
public sealed class BusLiveViewTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private static BusMessage Event(string kind, string node, BusLiveEvent e) => BusMessage.Create(kind, node, BusCodec.ToBody(e));

    [Fact]
    public void A_remote_call_is_listed_with_its_node_from_start_to_end()
    {
        var time = new FakeTimeProvider(T0);
        var view = new BusLiveView(mergesIntoStream: true, time);
        Assert.True(view.Apply(Event(BusLiveView.CallStarted, "node-b", new BusLiveEvent("c1", "application", "+1555", "9000", T0))));
        Assert.True(view.Apply(Event(BusLiveView.QueueEntered, "node-b", new BusLiveEvent("c1", Queue: "support"))));
        Assert.True(view.Apply(Event(BusLiveView.CallAnswered, "node-b", new BusLiveEvent("c1", AnsweredAt: T0.AddSeconds(2)))));
        Assert.True(view.Apply(Event(BusLiveView.QueueLeft, "node-b", new BusLiveEvent("c1", Queue: "support", Agent: "1001"))));
        var call = Assert.Single(view.Calls);
        Assert.Equal(new RemoteCall("node-b", "c1", "application", "+1555", "9000", T0, T0.AddSeconds(2), "1001", null), call);
        Assert.Equal(4, view.ReadAfter(0).Count);

        Assert.True(view.Apply(Event(BusLiveView.CallEnded, "node-b", new BusLiveEvent("c1"))));
        Assert.Empty(view.Calls);
        Assert.Equal(5, view.LastSequence);
        Assert.Single(view.ReadAfter(4));
    }

    [Fact]
    public void A_node_silent_for_six_seconds_or_saying_bye_loses_its_calls()
    {
        var time = new FakeTimeProvider(T0);
        var view = new BusLiveView(mergesIntoStream: false, time);
        view.Apply(Event(BusLiveView.CallLive, "node-b", new BusLiveEvent("c1", StartedAt: T0)));
        view.Apply(Event(BusLiveView.CallStarted, "node-c", new BusLiveEvent("c2", StartedAt: T0)));
        Assert.Equal(2, view.Calls.Count);
        Assert.Empty(view.ReadAfter(0)); // the nodes share one event log: nothing kept for the stream
        time.Advance(TimeSpan.FromSeconds(5));
        view.Seen("node-b");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("c1", Assert.Single(view.Calls).Id);
        view.Gone("node-b");
        Assert.Empty(view.Calls);

        view.Apply(Event(BusLiveView.CallLive, "node-d", new BusLiveEvent("c4", StartedAt: T0)));
        view.Reconnected("node-d"); // restarted: its old calls are forgotten until it resends them
        Assert.Empty(view.Calls);
    }

    [Fact]
    public void Other_kinds_and_malformed_bodies_are_not_taken()
    {
        var view = new BusLiveView(true, new FakeTimeProvider(T0));
        Assert.False(view.Apply(BusMessage.Create(BusNode.Beat, "node-b", null)));
        Assert.False(view.Apply(BusMessage.Create(BusLiveView.CallStarted, "node-b", null)));
        Assert.False(view.Apply(Event(BusLiveView.CallStarted, "node-b", new BusLiveEvent(""))));
        Assert.Empty(view.Calls);
    }

    [Fact]
    public void Agent_state_changes_go_to_the_stream_only()
    {
        var view = new BusLiveView(true, new FakeTimeProvider(T0));
        Assert.True(view.Apply(BusMessage.Create(BusLiveView.AgentState, "node-b", BusCodec.ToBody(new { agent = "1001", to = "Paused" }))));
        Assert.Empty(view.Calls);
        Assert.Equal(BusLiveView.AgentState, Assert.Single(view.ReadAfter(0)).Message.Kind);
    }
}
