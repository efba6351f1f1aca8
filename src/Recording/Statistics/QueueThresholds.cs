namespace Telephony.Recording.Statistics;

/// <summary>Per-queue thresholds of the queue metrics (docs/metrics.md): a call answered (or abandoned) after a wait
/// of at most <see cref="ServiceLevelSeconds"/> is "within" the service level; an abandon after a wait of at most
/// <see cref="ShortAbandonSeconds"/> is a short abandon (0 disables short abandons).</summary>
public sealed record QueueThresholds(int ServiceLevelSeconds = 20, int ShortAbandonSeconds = 5)
{
    /// <summary>20 s service level, 5 s short abandon.</summary>
    public static QueueThresholds Default { get; } = new();
}
