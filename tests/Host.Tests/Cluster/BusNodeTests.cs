using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Bus;
using Telephony.Host.Cluster;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Host.Tests.Cluster;

/// <summary>
/// What a node does with the other nodes' messages (no database: <see cref="BusNode.OnMessageAsync"/> directly): live
/// events go to the view (and wake the event stream's readers when the log is shared), a bye removes the node's calls,
/// beats and hellos keep a node alive; without <c>cluster.database</c> the node is inert.
/// </summary>
public sealed class BusNodeTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private static BusNode Node(BusLiveView view, EventNotifier notifier, string? database = "Host=/nowhere;Username=x") =>
        new(new PbxOptions { Cluster = { NodeId = "node-a" } }, database, view, notifier, new ServiceCollection().BuildServiceProvider(),
            new FakeTimeProvider(T0), NullLogger<BusNode>.Instance);

    [Fact]
    public async Task Live_events_reach_the_view_and_wake_stream_readers_when_the_log_is_shared_and_a_bye_clears_the_node()
    {
        var view = new BusLiveView(mergesIntoStream: false, new FakeTimeProvider(T0));
        var notifier = new EventNotifier();
        var node = Node(view, notifier);
        var woken = notifier.NextAsync();
        await node.OnMessageAsync(BusMessage.Create(BusLiveView.CallStarted, "node-b", BusCodec.ToBody(new BusLiveEvent("c1", StartedAt: T0))), default);
        Assert.True(woken.IsCompleted);
        Assert.Equal(("node-b", "c1"), (view.Calls[0].Node, view.Calls[0].Id));
        await node.OnMessageAsync(BusMessage.Create(BusNode.Bye, "node-b", null), default);
        Assert.Empty(view.Calls);
    }

    [Fact]
    public async Task Beats_and_hellos_mark_the_node_alive_and_are_not_live_events()
    {
        var time = new FakeTimeProvider(T0);
        var view = new BusLiveView(true, time);
        var node = Node(view, new EventNotifier());
        await node.OnMessageAsync(BusMessage.Create(BusLiveView.CallLive, "node-b", BusCodec.ToBody(new BusLiveEvent("c1", StartedAt: T0))), default);
        time.Advance(TimeSpan.FromSeconds(5));
        await node.OnMessageAsync(BusMessage.Create(BusNode.Beat, "node-b", null), default);
        await node.OnMessageAsync(BusMessage.Create(BusNode.Hello, "node-c", null), default); // no local calls to resend here
        await node.OnMessageAsync(BusMessage.Create(BusLiveView.CallLive, "node-c", BusCodec.ToBody(new BusLiveEvent("c2", StartedAt: T0))), default);
        await node.OnMessageAsync(BusMessage.Create(BusNode.Hello, "node-c", null), default); // node-c back: its calls come again
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("c1", Assert.Single(view.Calls).Id);
        Assert.Empty(view.ReadAfter(0)); // call.live is a resend, not an event for the stream
    }

    [Fact]
    public async Task Without_cluster_database_the_node_is_inert()
    {
        var node = Node(new BusLiveView(true, TimeProvider.System), new EventNotifier(), database: null);
        Assert.False(node.Enabled);
        node.PublishLive(BusLiveView.CallStarted, new BusLiveEvent("c1"));
        Assert.Equal(BusReplyOutcome.NotSent, (await node.RequestAsync(BusNode.Supervise, BusCodec.ToBody(new { agent = "1001" }), TimeSpan.FromSeconds(1))).Outcome);
    }
}
