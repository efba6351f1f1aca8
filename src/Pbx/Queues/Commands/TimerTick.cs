namespace Telephony.Pbx.Queues.Commands;

/// <summary>No event, only time passing: fires every timer due by now (ring timeouts, wrap-up ends, max waits,
/// announcements, no-answer skip expiries) in chronological order.</summary>
public sealed record TimerTick : QueueCommand
{
    public static TimerTick Instance { get; } = new();
}
