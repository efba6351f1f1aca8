using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>Filters of the console's call search (<see cref="ConsoleQueries.SearchCallsAsync"/>); null = any.</summary>
public sealed record CallSearch
{
    /// <summary>Calls started at or after this instant.</summary>
    public DateTimeOffset? From { get; init; }

    /// <summary>Calls started before this instant.</summary>
    public DateTimeOffset? To { get; init; }

    /// <summary>Caller or dialed number contains this text.</summary>
    public string? Number { get; init; }

    /// <summary>Answered by this agent.</summary>
    public string? Agent { get; init; }

    /// <summary>Went through this queue (the last queue of the call record).</summary>
    public string? Queue { get; init; }

    /// <summary>Ended with this outcome.</summary>
    public CallOutcome? Outcome { get; init; }

    /// <summary>Has this disposition code among its codes.</summary>
    public string? Disposition { get; init; }

    /// <summary>Survey score at least this (1-5); calls without a score never match a score filter.</summary>
    public int? CsatMin { get; init; }

    /// <summary>Survey score at most this (1-5).</summary>
    public int? CsatMax { get; init; }

    /// <summary>Rows to skip.</summary>
    public int Offset { get; init; }

    /// <summary>Rows to return (1..1000).</summary>
    public int Limit { get; init; } = 50;
}
