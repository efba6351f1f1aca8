using Telephony.Cluster.Bus;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Host.Cluster;

/// <summary>
/// Agent login, logout, pause and resume, cluster-wide (<c>src/Cluster/README.md</c>, "Bus"): the agent command port of
/// a node's queue scheduler (<see cref="IAgentCommandObserver"/>, told every such command the node takes, from the HTTP
/// API, a feature code or a registration) queues it on the bus as <see cref="Kind"/>; the other nodes
/// <see cref="Apply"/> it to their own scheduler with <see cref="QueueSchedulerService.PostFromPeer"/>, which does not
/// send it again. The commands are durable (<see cref="BusNode.PublishDurable"/>): a node that was not listening gets
/// them, in order and once, when it reconnects; a node that (re)connects (<c>node.hello</c>) is also sent the others'
/// logged-in agents again (<see cref="ResendAsync"/>): a node that just started has read no command before.
/// </summary>
public sealed class BusAgentCommands(BusNode bus) : IAgentCommandObserver
{
    /// <summary>The bus kind of an agent command.</summary>
    public const string Kind = "agent.command";

    public void OnAgentCommand(QueueCommand command)
    {
        if (Describe(command) is { } body)
        {
            bus.PublishDurable(Kind, BusCodec.ToBody(body), body.Agent); // reaches nodes not listening now too, on reconnection
        }
    }

    /// <summary>The bus form of <paramref name="command"/>; null for a command that is not an agent command.</summary>
    public static BusAgentCommand? Describe(QueueCommand command) => command switch
    {
        AgentLoggedIn c => new(c.Agent, "login"),
        AgentLoggedOut c => new(c.Agent, "logout"),
        AgentPaused c => new(c.Agent, "pause", c.Reason),
        AgentResumed c => new(c.Agent, "resume"),
        _ => null,
    };

    /// <summary>The scheduler command of a bus agent command; null when malformed.</summary>
    public static QueueCommand? ToCommand(BusAgentCommand? command) => command switch
    {
        { Agent: { Length: > 0 } agent, Action: "login" } => new AgentLoggedIn(agent),
        { Agent: { Length: > 0 } agent, Action: "logout" } => new AgentLoggedOut(agent),
        { Agent: { Length: > 0 } agent, Action: "pause", Reason: var reason } =>
            new AgentPaused(agent, string.IsNullOrWhiteSpace(reason) ? "api" : reason),
        { Agent: { Length: > 0 } agent, Action: "resume" } => new AgentResumed(agent),
        _ => null,
    };

    /// <summary>Applies another node's agent command <paramref name="message"/> to <paramref name="scheduler"/>, without
    /// sending it back. False when the message is malformed.</summary>
    public static bool Apply(BusMessage message, QueueSchedulerService scheduler)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        return ToCommand(BusCodec.FromBody<BusAgentCommand>(message)) is { } command && scheduler.PostFromPeer(command);
    }

    /// <summary>Sends node <paramref name="to"/> (just connected) this node's logged-in agents again: a login for each
    /// agent not logged out here, and a pause after it for a paused one.</summary>
    public static async Task ResendAsync(QueueSchedulerService scheduler, BusNode bus, string to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(bus);
        var snapshot = await scheduler.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
        foreach (var agent in snapshot.Agents.Where(a => a.State != AgentState.LoggedOut))
        {
            bus.Publish(Kind, BusCodec.ToBody(new BusAgentCommand(agent.Agent, "login")), to);
            if (agent.State == AgentState.Paused)
            {
                bus.Publish(Kind, BusCodec.ToBody(new BusAgentCommand(agent.Agent, "pause", agent.PauseReason)), to);
            }
        }
    }
}
