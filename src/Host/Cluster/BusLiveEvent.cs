namespace Telephony.Host.Cluster;

/// <summary>
/// The body of a live event on the cluster bus (<see cref="BusLiveView"/> kinds): what the console's live view needs of
/// one call. Fields a kind does not carry are null.
/// </summary>
public sealed record BusLiveEvent(
    string CallId,
    string? Kind = null,
    string? Caller = null,
    string? Dialed = null,
    DateTimeOffset? StartedAt = null,
    DateTimeOffset? AnsweredAt = null,
    string? Agent = null,
    string? Queue = null,
    string? Detail = null,
    DateTimeOffset? At = null);
