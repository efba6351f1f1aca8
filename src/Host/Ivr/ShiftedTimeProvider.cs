namespace Telephony.Host.Ivr;

/// <summary>
/// The system clock moved to start at a configured instant (<c>ivr.clock</c>, for demos and tests of business hours):
/// time then runs at normal speed from there. Timers are the system's.
/// </summary>
public sealed class ShiftedTimeProvider(DateTimeOffset startAt) : TimeProvider
{
    private readonly TimeSpan _offset = startAt - System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + _offset;

    public override TimeZoneInfo LocalTimeZone => System.LocalTimeZone;
}
