namespace Telephony.Pbx.Calls;

/// <summary>What <see cref="CallbackDesk"/> answers a request: accepted with the callback's place (1-based position
/// among the queue's waiting entries, the queue's estimated wait, and when it will be made at the earliest), or refused
/// with the reason (<see cref="Status"/>: 404 unknown queue, 409 the queue takes no callbacks, the caller is no longer
/// waiting, or the deadline cannot be met, 503 callbacks unavailable).</summary>
public sealed record CallbackPlacement(
    bool Accepted,
    int Status,
    string? Error,
    CallbackTicket? Ticket,
    int Position = 0,
    TimeSpan? EstimatedWait = null,
    DateTimeOffset? DueAt = null)
{
    public static CallbackPlacement Refused(int status, string error) => new(false, status, error, null);
}
