using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>Filter and page for <see cref="CallStore.QueryAsync"/>; null fields do not filter.</summary>
public sealed record CallQuery
{
    /// <summary>Calls started at or after.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Calls started before.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Matches the caller or the dialed number exactly.</summary>
    public string? Number { get; init; }

    public string? Agent { get; init; }

    public CallOutcome? Outcome { get; init; }

    /// <summary>Has this disposition code among its codes.</summary>
    public string? Disposition { get; init; }

    /// <summary>Survey score at least this (1-5); calls without a score never match a score filter.</summary>
    public int? CsatMin { get; init; }

    /// <summary>Survey score at most this (1-5).</summary>
    public int? CsatMax { get; init; }

    public int Offset { get; init; }

    public int Limit { get; init; } = 100;
}
