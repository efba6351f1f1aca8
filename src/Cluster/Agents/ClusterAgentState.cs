namespace Telephony.Cluster.Agents;

/// <summary>A row of <c>cluster_agents</c>: agent <see cref="Agent"/> as node <see cref="Node"/>'s queue scheduler sees it.</summary>
/// <param name="Node">The node.</param>
/// <param name="Agent">The agent (extension).</param>
/// <param name="State">LoggedOut, Available, Ringing, OnCall, WrapUp or Paused (the scheduler's agent states).</param>
/// <param name="Since">When the agent entered that state on that node.</param>
public sealed record ClusterAgentState(string Node, string Agent, string State, DateTimeOffset Since)
{
    /// <summary>The state in which a node may ring the agent.</summary>
    public const string Available = "Available";

    /// <summary>The state of an agent not logged in on that node (it does not make the agent busy).</summary>
    public const string LoggedOut = "LoggedOut";
}
