namespace Telephony.Recording.Alerts;

/// <summary>
/// When to retry a failed webhook delivery: capped exponential backoff with jitter.
/// <para>
/// After the n-th failed attempt (n = 1, 2, ...) the nominal delay is
/// <c>min(MaxDelay, InitialDelay × 2^(n-1))</c>; the actual delay is the nominal one scaled by a uniform factor in
/// <c>[1 - JitterFraction, 1 + JitterFraction]</c> and capped again at <c>MaxDelay</c>, so many alerts failing
/// together (webhook down) do not retry in lock step. There is no attempt limit: an alert is kept until delivered.
/// </para>
/// <para>
/// <see cref="Default"/>: 5 s, 10 s, 20 s, 40 s, 80 s, 160 s, 320 s, 640 s, 1280 s, 2560 s, then every hour, ±20 %.
/// </para>
/// </summary>
/// <param name="InitialDelay">Delay after the first failure.</param>
/// <param name="MaxDelay">Cap on any delay.</param>
/// <param name="JitterFraction">Relative jitter, 0 to 1.</param>
public sealed record RetrySchedule(TimeSpan InitialDelay, TimeSpan MaxDelay, double JitterFraction)
{
    /// <summary>5 s doubling up to 1 h, ±20 % jitter.</summary>
    public static RetrySchedule Default { get; } = new(TimeSpan.FromSeconds(5), TimeSpan.FromHours(1), 0.2);

    /// <summary>Delay without jitter after failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan NominalDelay(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        double ticks = InitialDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62));
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>
    /// Delay after failed attempt <paramref name="attempt"/> (1-based) for a uniform random number
    /// <paramref name="random01"/> in [0, 1): 0 gives the shortest, 0.5 the nominal delay.
    /// </summary>
    public TimeSpan DelayFor(int attempt, double random01)
    {
        double jitter = Math.Clamp(JitterFraction, 0, 1);
        double factor = 1 + (jitter * ((2 * Math.Clamp(random01, 0, 1)) - 1));
        long ticks = (long)(NominalDelay(attempt).Ticks * factor);
        return TimeSpan.FromTicks(Math.Clamp(ticks, 0, MaxDelay.Ticks));
    }
}
