using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// Read-only queries behind the web console: the call search with the filters <see cref="CallStore.QueryAsync"/> lacks
/// (queue, number as a substring) and a total for paging, a call's own events from the event log (its timeline),
/// and the last calls of a caller (screen pop history).
/// </summary>
public sealed class ConsoleQueries(Database database)
{
    private const string CallColumns =
        """
        id AS Id, caller AS Caller, dialed AS Dialed, started_at AS StartedAt, answered_at AS AnsweredAt,
        ended_at AS EndedAt, ivr_path AS IvrPath, variables AS Variables, queue AS Queue, priority AS Priority,
        wait_ms AS Wait, agent AS Agent, talk_ms AS TalkTime, outcome AS Outcome, hangup_cause AS HangupCause,
        hangup_side AS HangupSide, disposition AS Disposition, disposition_note AS DispositionNote, csat AS Csat, survey AS Survey
        """;

    private string SearchWhere =>
        $"""
        WHERE (@From IS NULL OR started_at >= @From)
          AND (@To IS NULL OR started_at < @To)
          AND (@Number IS NULL OR {database.Dialect.Position}(caller, @Number) > 0 OR {database.Dialect.Position}(dialed, @Number) > 0)
          AND (@Agent IS NULL OR agent = @Agent)
          AND (@Queue IS NULL OR queue = @Queue)
          AND (@Outcome IS NULL OR outcome = @Outcome)
          AND (@Disposition IS NULL OR {database.Dialect.Position}(',' || coalesce(disposition, '') || ',', ',' || @Disposition || ',') > 0)
          AND (@CsatMin IS NULL OR csat >= @CsatMin)
          AND (@CsatMax IS NULL OR csat <= @CsatMax)
        """;

    /// <summary>One page of calls matching <paramref name="search"/>, newest first, and how many match in all.</summary>
    public async Task<(IReadOnlyList<CallRecord> Items, long Total)> SearchCallsAsync(CallSearch search,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(search);
        var parameters = new
        {
            From = UnixTimeHandlers.ToDb(search.From),
            To = UnixTimeHandlers.ToDb(search.To),
            search.Number,
            search.Agent,
            search.Queue,
            Outcome = search.Outcome?.ToString(),
            search.Disposition,
            search.CsatMin,
            search.CsatMax,
            Limit = Math.Clamp(search.Limit, 1, 1000),
            Offset = Math.Max(0, search.Offset),
        };
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var items = (await connection.QueryAsync<CallRecord>(
            $"SELECT {CallColumns} FROM calls {SearchWhere} ORDER BY started_at DESC, id LIMIT @Limit OFFSET @Offset;", parameters)
            .ConfigureAwait(false)).AsList();
        long total = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM calls {SearchWhere};", parameters)
            .ConfigureAwait(false);
        return (items, total);
    }

    /// <summary>Every event of call <paramref name="callId"/> in the event log, oldest first (at most 1000).</summary>
    public async Task<IReadOnlyList<StoredEvent>> EventsOfCallAsync(string callId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<StoredEvent>(
            """
            SELECT sequence AS Sequence, occurred_at AS OccurredAt, type AS Type, call_id AS CallId, payload AS Payload
            FROM events WHERE call_id = @CallId ORDER BY sequence LIMIT 1000;
            """, new { CallId = callId }).ConfigureAwait(false)).AsList();
    }

    /// <summary>The last <paramref name="count"/> calls from <paramref name="caller"/> other than <paramref name="exceptCallId"/>,
    /// newest first.</summary>
    public async Task<IReadOnlyList<CallRecord>> PreviousCallsAsync(string caller, string? exceptCallId, int count,
        CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CallRecord>(
            $"SELECT {CallColumns} FROM calls WHERE caller = @Caller AND (@Except IS NULL OR id <> @Except) " +
            "ORDER BY started_at DESC LIMIT @Count;",
            new { Caller = caller, Except = exceptCallId, Count = Math.Clamp(count, 1, 100) }).ConfigureAwait(false)).AsList();
    }
}
