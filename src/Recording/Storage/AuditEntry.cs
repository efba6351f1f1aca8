namespace Telephony.Recording.Storage;

/// <summary>One row of the append-only <c>audit</c> table: who did what, when, from where, to what, and how it ended.</summary>
public sealed record AuditEntry
{
    public long Id { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    /// <summary>Console user, extension, or <c>system</c>.</summary>
    public string Actor { get; init; } = "";

    /// <summary><c>agent</c>, <c>supervisor</c> or <c>admin</c> when known.</summary>
    public string? Role { get; init; }

    /// <summary>Client IP address, <c>sip:&lt;address&gt;</c>, a file path...</summary>
    public string? Source { get; init; }

    /// <summary>Dotted action name, see <see cref="AuditActions"/>.</summary>
    public string Action { get; init; } = "";

    /// <summary>What it was done to (recording id, agent, file, user).</summary>
    public string? Target { get; init; }

    /// <summary><see cref="AuditOutcomes"/>: ok, failed or denied.</summary>
    public string Outcome { get; init; } = AuditOutcomes.Ok;

    /// <summary>More detail as JSON, or null.</summary>
    public string? Detail { get; init; }
}
