using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Bus;
using Telephony.Host.Cluster;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Host.Tests.Cluster;

/// <summary>
/// Agent login, logout, pause and resume cluster-wide (<see cref="BusAgentCommands"/>, no database: the node's outboxes are
/// read directly): a command the node's scheduler takes is queued durably for the bus once, whoever posted it; another node's
/// command is applied to the scheduler and not queued again; a node that says hello gets this node's logged-in agents.
/// </summary>
public sealed class BusAgentCommandsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);

    private static BusNode Node(string? database = "Host=/nowhere;Username=x") =>
        new(new PbxOptions { Cluster = { NodeId = "node-a" } }, database, new BusLiveView(true, new FakeTimeProvider(T0)), new EventNotifier(),
            new ServiceCollection().BuildServiceProvider(), new FakeTimeProvider(T0), NullLogger<BusNode>.Instance);

    private static QueueSchedulerService Scheduler(BusNode node) =>
        new(QueuesConfigLoader.Parse("""
            queues:
              - name: support
                members: ["1001", "1002"]
            """), new FakeTimeProvider(T0), agentCommands: new BusAgentCommands(node));

    private static List<BusMessage> QueuedDurably(BusNode node)
    {
        var messages = new List<BusMessage>();
        while (node.DurableOutbox.TryRead(out var queued))
        {
            Assert.Equal(BusCodec.FromBody<BusAgentCommand>(queued.Message)!.Agent, queued.Subject); // ordered per agent
            messages.Add(queued.Message);
        }
        return messages;
    }

    private static List<BusMessage> Queued(BusNode node)
    {
        var messages = new List<BusMessage>();
        while (node.Outbox.TryRead(out var message))
        {
            messages.Add(message);
        }
        return messages;
    }

    [Fact]
    public async Task Local_agent_commands_are_published_once_each_even_when_ignored_here()
    {
        var node = Node();
        await using var scheduler = Scheduler(node);
        scheduler.Start();
        await scheduler.SendAsync(new AgentLoggedIn("1001"));
        await scheduler.SendAsync(new AgentPaused("1001", "break"));
        await scheduler.SendAsync(new AgentResumed("1001"));
        await scheduler.SendAsync(new AgentResumed("1001")); // ignored here (not paused): another node may be paused
        await scheduler.SendAsync(new AgentLoggedOut("1001"));
        await scheduler.SendAsync(TimerTick.Instance); // not an agent command
        Assert.Empty(Queued(node)); // not on the live bus: durably (cluster_bus_log), so a node not listening gets them later
        var sent = QueuedDurably(node);
        Assert.All(sent, m => Assert.Equal((BusAgentCommands.Kind, "node-a", (string?)null), (m.Kind, m.From, m.To)));
        Assert.Equal(
            [new("1001", "login"), new("1001", "pause", "break"), new("1001", "resume"), new("1001", "resume"), new BusAgentCommand("1001", "logout")],
            sent.Select(m => BusCodec.FromBody<BusAgentCommand>(m)));
    }

    [Fact]
    public async Task Another_nodes_command_is_applied_without_being_published_again()
    {
        var node = Node();
        await using var scheduler = Scheduler(node);
        scheduler.Start();
        Assert.True(BusAgentCommands.Apply(BusMessage.Create(BusAgentCommands.Kind, "node-b", BusCodec.ToBody(new BusAgentCommand("1001", "login"))), scheduler));
        Assert.True(BusAgentCommands.Apply(BusMessage.Create(BusAgentCommands.Kind, "node-b", BusCodec.ToBody(new BusAgentCommand("1001", "pause", "lunch"))), scheduler));
        Assert.False(BusAgentCommands.Apply(BusMessage.Create(BusAgentCommands.Kind, "node-b", BusCodec.ToBody(new BusAgentCommand("1001", "dance"))), scheduler));
        Assert.False(BusAgentCommands.Apply(BusMessage.Create(BusAgentCommands.Kind, "node-b", null), scheduler));
        var agent = (await scheduler.GetSnapshotAsync()).FindAgent("1001");
        Assert.Equal((AgentState.Paused, "lunch"), (agent!.State, agent.PauseReason));
        Assert.Empty(Queued(node));
        Assert.Empty(QueuedDurably(node));
    }

    [Fact]
    public async Task A_node_saying_hello_gets_the_logged_in_agents_with_their_pause()
    {
        var node = Node();
        await using var scheduler = Scheduler(node);
        scheduler.Start();
        await scheduler.SendAsync(new AgentLoggedIn("1001"));
        await scheduler.SendAsync(new AgentPaused("1001", "break"));
        QueuedDurably(node);
        await BusAgentCommands.ResendAsync(scheduler, node, "node-b", default);
        Assert.Empty(QueuedDurably(node)); // the current state, sent live to the node that just connected
        var sent = Queued(node);
        Assert.All(sent, m => Assert.Equal((BusAgentCommands.Kind, "node-b"), (m.Kind, m.To)));
        Assert.Equal([new("1001", "login"), new BusAgentCommand("1001", "pause", "break")], sent.Select(m => BusCodec.FromBody<BusAgentCommand>(m)));
    }

    [Fact]
    public async Task Without_cluster_database_nothing_is_published()
    {
        var node = Node(database: null);
        await using var scheduler = Scheduler(node);
        scheduler.Start();
        await scheduler.SendAsync(new AgentLoggedIn("1001"));
        Assert.Empty(Queued(node));
        Assert.Empty(QueuedDurably(node));
        Assert.Equal(AgentState.Available, (await scheduler.GetSnapshotAsync()).FindAgent("1001")!.State);
    }
}
