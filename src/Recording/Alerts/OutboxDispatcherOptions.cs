namespace Telephony.Recording.Alerts;

/// <summary>Tuning for <see cref="OutboxDispatcher"/>.</summary>
public sealed class OutboxDispatcherOptions
{
    public RetrySchedule Schedule { get; init; } = RetrySchedule.Default;

    /// <summary>Time allowed for one POST; the entry's lease is twice this.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often <see cref="OutboxDispatcher.RunAsync"/> looks for due entries when not woken.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries taken per pass.</summary>
    public int BatchSize { get; init; } = 50;

    /// <summary>Uniform [0, 1) source for the jitter; <see cref="Random.Shared"/> by default.</summary>
    public Func<double> Random { get; init; } = System.Random.Shared.NextDouble;
}
