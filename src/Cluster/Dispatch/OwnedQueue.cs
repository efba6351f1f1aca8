namespace Telephony.Cluster.Dispatch;

/// <summary>What a queue's owner needs of its configuration (queues.yaml, the same on every node): the members in list
/// order with their penalty, and the strategy.</summary>
/// <param name="Name">The queue.</param>
/// <param name="Members">Members in list order.</param>
/// <param name="Strategy">How the owner picks among the free members of the lowest penalty.</param>
/// <param name="NoAnswerSkip">An agent who did not take a caller the owner assigned (the caller came back unassigned)
/// is not offered again for this long (queues.yaml's <c>noAnswerSkipSeconds</c>; zero: no skip).</param>
public sealed record OwnedQueue(string Name, IReadOnlyList<OwnedQueueMember> Members, OwnerStrategy Strategy, TimeSpan NoAnswerSkip = default);

/// <summary>A member of an <see cref="OwnedQueue"/>.</summary>
/// <param name="Agent">The agent (extension).</param>
/// <param name="Penalty">0 = primary skill; higher penalties are the fallback.</param>
public sealed record OwnedQueueMember(string Agent, int Penalty);

/// <summary>How a queue owner picks an agent (queues.yaml's strategies; <c>ring-all</c> offers one agent at a time in a
/// cluster, the longest idle, as one caller holds one assignment).</summary>
public enum OwnerStrategy
{
    /// <summary>The agent Available longest on the caller's node; ties in member order.</summary>
    LongestIdle,

    /// <summary>The first free member after the one the owner offered last (cyclic; the cursor is the owner's memory).</summary>
    RoundRobin,
}
