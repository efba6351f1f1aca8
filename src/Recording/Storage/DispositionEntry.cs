namespace Telephony.Recording.Storage;

/// <summary>A row of <c>dispositions</c>: one time someone set a call's disposition codes (the latest is on the call record).</summary>
public sealed record DispositionEntry
{
    public long Id { get; init; }

    public string CallId { get; init; } = "";

    /// <summary>The queue whose code list the codes come from.</summary>
    public string? Queue { get; init; }

    /// <summary>Codes, comma separated, in the order set.</summary>
    public string Codes { get; init; } = "";

    public string? Note { get; init; }

    /// <summary>Console user or extension.</summary>
    public string SetBy { get; init; } = "";

    /// <summary><c>api</c> or <c>dtmf</c>.</summary>
    public string Source { get; init; } = "";

    public DateTimeOffset SetAt { get; init; }

    /// <summary>The codes as a list.</summary>
    public IReadOnlyList<string> CodeList => Codes.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
