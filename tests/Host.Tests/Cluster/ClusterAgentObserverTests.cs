using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Bus;
using Telephony.Host.Cluster;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;

namespace Telephony.Host.Tests.Cluster;

/// <summary>
/// The one agent state decorator of a cluster node (<see cref="ClusterAgentObserver"/>): each change reaches the agent
/// state history, is queued once for <c>cluster_agents</c> and once for the bus as <c>agent.state</c>.
/// </summary>
public sealed class ClusterAgentObserverTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    [Fact]
    public void A_change_goes_to_the_history_to_cluster_agents_and_to_the_bus_once_each()
    {
        var bus = new BusNode(new PbxOptions { Cluster = { NodeId = "node-a" } }, "Host=/nowhere;Username=x",
            new BusLiveView(true, new FakeTimeProvider(T0)), new EventNotifier(), new ServiceCollection().BuildServiceProvider(),
            new FakeTimeProvider(T0), NullLogger<BusNode>.Instance);
        var tracker = new ClusterCallTracker(CallObservers.None, "node-a");
        var history = new History();
        var observer = new ClusterAgentObserver(history, tracker, bus);

        observer.OnAgentStateChanged(new AgentStateChanged("1001", AgentState.Available, AgentState.Paused, "lunch", T0));

        Assert.Equal("1001", Assert.Single(history.Changes).Agent);
        Assert.True(tracker.Work.TryRead(out _));
        Assert.False(tracker.Work.TryRead(out _));
        Assert.True(bus.Outbox.TryRead(out var message));
        Assert.Equal(BusLiveView.AgentState, message.Kind);
        var body = message.Body!.Value;
        Assert.Equal(("1001", "Available", "Paused", "lunch"), (body.GetProperty("agent").GetString(), body.GetProperty("from").GetString(),
            body.GetProperty("to").GetString(), body.GetProperty("pauseReason").GetString()));
        Assert.False(bus.Outbox.TryRead(out _));
        Assert.False(bus.DurableOutbox.TryRead(out _)); // a view: best effort, not a command
    }

    private sealed class History : IAgentStateObserver
    {
        public List<AgentStateChanged> Changes { get; } = [];

        public void OnAgentStateChanged(AgentStateChanged change) => Changes.Add(change);
    }
}
