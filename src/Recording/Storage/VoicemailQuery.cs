namespace Telephony.Recording.Storage;

/// <summary>Filter and page for <see cref="VoicemailStore.ListAsync"/>; null fields do not filter.</summary>
public sealed record VoicemailQuery
{
    /// <summary>Only these mailboxes (an agent's own); null = every mailbox.</summary>
    public IReadOnlyCollection<string>? Mailboxes { get; init; }

    /// <summary>Only this status; null = every status but <see cref="VoicemailStatus.Recording"/> and
    /// <see cref="VoicemailStatus.Discarded"/>.</summary>
    public VoicemailStatus? Status { get; init; }

    /// <summary>Messages left at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Messages left before.</summary>
    public DateTimeOffset? To { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}
