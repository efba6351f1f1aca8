using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

/// <summary>Scheduler-private state of one queue: its config, its callers and its recent handle times.</summary>
internal sealed class QueueRuntime
{
    public QueueRuntime(QueueConfig config) => Configure(config);

    public QueueConfig Config { get; private set; } = null!;
    public string Name => Config.Name;
    /// <summary>Callers in this queue (waiting, offering or connected), in arrival order.</summary>
    public List<QueueCall> Calls { get; } = [];
    /// <summary>Member extension → (penalty, index in the member list).</summary>
    public Dictionary<string, (int Penalty, int Index)> Members { get; } = new(StringComparer.Ordinal);
    public Queue<TimeSpan> RecentHandleTimes { get; } = new();
    /// <summary>Round-robin: member index of the last agent offered a call; -1 before the first.</summary>
    public int Cursor { get; set; } = -1;
    /// <summary>Removed from the config: takes no new callers, dropped once empty.</summary>
    public bool Retired { get; set; }

    public void Configure(QueueConfig config)
    {
        Config = config;
        Members.Clear();
        for (var i = 0; i < config.Members.Count; i++)
        {
            Members.TryAdd(config.Members[i].Agent, (config.Members[i].Penalty, i));
        }
        if (Cursor >= config.Members.Count)
        {
            Cursor = -1;
        }
        TrimHandleTimes();
    }

    public void RecordHandleTime(TimeSpan handleTime)
    {
        RecentHandleTimes.Enqueue(handleTime);
        TrimHandleTimes();
    }

    private void TrimHandleTimes()
    {
        while (RecentHandleTimes.Count > Math.Max(1, Config.HandleTimeWindow))
        {
            RecentHandleTimes.Dequeue();
        }
    }
}
