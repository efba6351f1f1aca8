namespace Telephony.Pbx.Queues.Configuration;

/// <summary>Raises a waiting caller's priority with time waited:
/// <c>effective = base + min(MaxBoost, floor(waited / Every))</c>; <see cref="Every"/> of zero disables aging.</summary>
public sealed record PriorityAging(TimeSpan Every, int MaxBoost)
{
    /// <summary>No aging: the effective priority is the base priority.</summary>
    public static PriorityAging None { get; } = new(TimeSpan.Zero, 0);

    /// <summary>The boost earned after waiting <paramref name="waited"/>.</summary>
    public int Boost(TimeSpan waited)
    {
        if (Every <= TimeSpan.Zero || MaxBoost <= 0 || waited <= TimeSpan.Zero)
        {
            return 0;
        }
        return (int)Math.Min(MaxBoost, waited.Ticks / Every.Ticks);
    }

    /// <summary>The effective priority of a caller with <paramref name="basePriority"/> who waited <paramref name="waited"/>
    /// (saturating, never overflows).</summary>
    public int EffectivePriority(int basePriority, TimeSpan waited) =>
        (int)Math.Clamp((long)basePriority + Boost(waited), int.MinValue, int.MaxValue);
}
