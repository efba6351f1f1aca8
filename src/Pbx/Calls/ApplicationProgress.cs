namespace Telephony.Pbx.Calls;

/// <summary>
/// Where an application has taken a caller so far, for the call record: the IVR's path of node ids, the variables it
/// collected, and, once the IVR ended, why (<paramref name="EndReason"/>; null while it runs).
/// </summary>
public sealed record ApplicationProgress(
    IReadOnlyList<string> Path,
    IReadOnlyDictionary<string, string> Variables,
    string? EndReason,
    DateTimeOffset At);
