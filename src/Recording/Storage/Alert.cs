namespace Telephony.Recording.Storage;

/// <summary>A row of <c>alerts</c> (e.g. a missed call to call back).</summary>
public sealed record Alert
{
    public long Id { get; init; }

    /// <summary>See <see cref="AlertKinds"/>.</summary>
    public string Kind { get; init; } = "";

    public string? CallId { get; init; }

    /// <summary>Number to call back.</summary>
    public string? Caller { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>JSON body delivered to webhooks.</summary>
    public string Payload { get; init; } = "{}";
}
