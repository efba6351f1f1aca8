namespace Telephony.Pbx.Queues.Configuration;

/// <summary>The whole of <c>config/queues.yaml</c>: the queues, and whether agents log in when their phone registers.</summary>
public sealed record QueuesConfig
{
    public IReadOnlyList<QueueConfig> Queues { get; init; } = [];
    /// <summary>When true the call layer sends <c>AgentLoggedIn</c> as soon as an agent's phone registers
    /// (and <c>AgentLoggedOut</c> when the registration expires or is removed).</summary>
    public bool LoginOnRegister { get; init; } = true;

    /// <summary>An empty configuration: no queues.</summary>
    public static QueuesConfig Empty { get; } = new();

    public QueueConfig? Find(string name)
    {
        foreach (var q in Queues)
        {
            if (string.Equals(q.Name, name, StringComparison.Ordinal))
            {
                return q;
            }
        }
        return null;
    }

    /// <summary>Every distinct agent named as a member of some queue, in first-seen order.</summary>
    public IReadOnlyList<string> Agents()
    {
        var seen = new List<string>();
        foreach (var q in Queues)
        {
            foreach (var m in q.Members)
            {
                if (!seen.Contains(m.Agent, StringComparer.Ordinal))
                {
                    seen.Add(m.Agent);
                }
            }
        }
        return seen;
    }
}
