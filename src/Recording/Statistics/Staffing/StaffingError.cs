namespace Telephony.Recording.Statistics.Staffing;

/// <summary>A rejected <see cref="StaffingRequest"/>: the reason, the offending field (its JSON name) and a message
/// for the user (an HTTP 400 body).</summary>
public sealed record StaffingError(StaffingErrorCode Code, string Field, string Message);
