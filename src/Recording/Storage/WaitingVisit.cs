namespace Telephony.Recording.Storage;

/// <summary>A caller in a queue now: a queue visit without an outcome yet (<c>queue_visits</c>).</summary>
public sealed record WaitingVisit(string CallId, string Queue, DateTimeOffset EnteredAt);
