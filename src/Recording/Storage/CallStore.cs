using Dapper;
using System.Data.Common;
using System.Globalization;
using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>Call detail records (<c>calls</c>): a row opened when the call arrives, filled in as it goes, closed at hangup.</summary>
public sealed class CallStore(Database database)
{
    private const string Columns =
        """
        id AS Id, caller AS Caller, dialed AS Dialed, started_at AS StartedAt, answered_at AS AnsweredAt,
        ended_at AS EndedAt, ivr_path AS IvrPath, variables AS Variables, queue AS Queue, priority AS Priority,
        wait_ms AS Wait, agent AS Agent, talk_ms AS TalkTime, outcome AS Outcome, hangup_cause AS HangupCause,
        hangup_side AS HangupSide, callback_id AS CallbackId, callback_of AS CallbackOf, disposition AS Disposition,
        disposition_note AS DispositionNote, csat AS Csat, survey AS Survey
        """;

    /// <summary>Most ids tried by <see cref="StartAsync"/> for one call before it gives up.</summary>
    private const int MaxIdAttempts = 8;

    /// <summary>
    /// Opens the record of a new call and returns its record id: <paramref name="id"/> (the SIP Call-ID), or, when a
    /// record with that id exists already (another cluster node answered the same INVITE after the proxy failed it over,
    /// or a Call-ID reused after a restart), a node-qualified id (<see cref="QualifiedId"/>), so no record is ever lost
    /// to a duplicate key. The caller writes the rest of the call's record under the id returned.
    /// </summary>
    /// <exception cref="InvalidOperationException">Every candidate id is taken (never in practice).</exception>
    public async Task<string> StartAsync(string id, string caller, string dialed, DateTimeOffset startedAt, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        for (var attempt = 0; attempt < MaxIdAttempts; attempt++)
        {
            var candidate = attempt == 0 ? id : QualifiedId(id, database.Node, attempt);
            if (await ExecuteOneAsync(
                    "INSERT INTO calls (id, caller, dialed, started_at, node) VALUES (@Id, @Caller, @Dialed, @StartedAt, @Node) ON CONFLICT (id) DO NOTHING;",
                    cancellationToken,
                    PlainCommand.Text("@Id", candidate), PlainCommand.Text("@Caller", caller), PlainCommand.Text("@Dialed", dialed),
                    PlainCommand.Int64("@StartedAt", UnixTimeHandlers.ToDb(startedAt)), PlainCommand.Text("@Node", database.Node))
                .ConfigureAwait(false))
            {
                return candidate;
            }
        }
        throw new InvalidOperationException($"Call record {id}: ids {id} to {QualifiedId(id, database.Node, MaxIdAttempts - 1)} are all taken");
    }

    /// <summary>
    /// The record id of a call whose Call-ID <paramref name="id"/> is taken: <c>&lt;Call-ID&gt;~&lt;node&gt;</c> (attempt 1),
    /// then <c>~&lt;node&gt;~2</c>, <c>~3</c>...; a single server (no node) uses <c>~2</c>, <c>~3</c>...
    /// </summary>
    public static string QualifiedId(string id, string? node, int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return node is null
            ? string.Create(CultureInfo.InvariantCulture, $"{id}~{attempt + 1}")
            : attempt == 1 ? $"{id}~{node}" : string.Create(CultureInfo.InvariantCulture, $"{id}~{node}~{attempt}");
    }

    /// <summary>Records when the server answered (recording starts here).</summary>
    public Task<bool> AnswerAsync(string id, DateTimeOffset answeredAt, CancellationToken cancellationToken = default) =>
        ExecuteOneAsync("UPDATE calls SET answered_at = @At WHERE id = @Id;", cancellationToken,
            PlainCommand.Text("@Id", id), PlainCommand.Int64("@At", UnixTimeHandlers.ToDb(answeredAt)));

    /// <summary>Records the IVR path and the variables collected (JSON object).</summary>
    public Task<bool> SetIvrAsync(string id, string ivrPath, string? variablesJson, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE calls SET ivr_path = @IvrPath, variables = @Variables WHERE id = @Id;",
            new { Id = id, IvrPath = ivrPath, Variables = variablesJson },
            cancellationToken);

    /// <summary>Records the queue the call entered and its priority.</summary>
    public Task<bool> SetQueueAsync(string id, string queue, int priority, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE calls SET queue = @Queue, priority = @Priority WHERE id = @Id;",
            new { Id = id, Queue = queue, Priority = priority },
            cancellationToken);

    /// <summary>Records the agent who answered and how long the caller waited.</summary>
    public Task<bool> SetAgentAsync(string id, string agent, TimeSpan wait, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            "UPDATE calls SET agent = @Agent, wait_ms = @WaitMs WHERE id = @Id;",
            new { Id = id, Agent = agent, WaitMs = UnixTimeHandlers.ToDb(wait) },
            cancellationToken);

    /// <summary>Records how long the caller waited in queue (also after the record was closed: an abandon is
    /// reported as the call ends).</summary>
    public Task<bool> SetWaitAsync(string id, TimeSpan wait, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE calls SET wait_ms = @WaitMs WHERE id = @Id;", new { Id = id, WaitMs = UnixTimeHandlers.ToDb(wait) }, cancellationToken);

    /// <summary>Records the post-call survey: the score (null when the caller gave none) and every answer (JSON object).
    /// Works after the record closed (the survey ends with the call).</summary>
    public Task<bool> SetSurveyAsync(string id, int? csat, string answersJson, CancellationToken cancellationToken = default) =>
        ExecuteAsync("UPDATE calls SET csat = @Csat, survey = @Survey WHERE id = @Id;", new { Id = id, Csat = csat, Survey = answersJson },
            cancellationToken);

    /// <summary>Closes the record. Returns false when the call is unknown or already closed.</summary>
    public Task<bool> EndAsync(
        string id,
        DateTimeOffset endedAt,
        CallOutcome outcome,
        TimeSpan? talkTime,
        TimeSpan? wait,
        string? hangupCause,
        HangupSide? hangupSide,
        CancellationToken cancellationToken = default) =>
        ExecuteOneAsync(
            """
            UPDATE calls SET ended_at = @EndedAt, outcome = @Outcome, talk_ms = @TalkMs, wait_ms = coalesce(@WaitMs, wait_ms),
                hangup_cause = @Cause, hangup_side = @Side
            WHERE id = @Id AND ended_at IS NULL;
            """,
            cancellationToken,
            PlainCommand.Text("@Id", id),
            PlainCommand.Int64("@EndedAt", UnixTimeHandlers.ToDb(endedAt)),
            PlainCommand.Text("@Outcome", outcome.ToString()),
            PlainCommand.Int64("@TalkMs", UnixTimeHandlers.ToDb(talkTime)),
            PlainCommand.Int64("@WaitMs", UnixTimeHandlers.ToDb(wait)),
            PlainCommand.Text("@Cause", hangupCause),
            PlainCommand.Text("@Side", hangupSide?.ToString()));

    /// <summary>The hangup cause of a record closed by a node's start-up recovery.</summary>
    public const string ServerRestartCause = "server restart";

    /// <summary>Closes a record left open by a crash as <see cref="CallOutcome.Interrupted"/> (hangup cause
    /// <see cref="ServerRestartCause"/>).</summary>
    public Task<bool> MarkInterruptedAsync(string id, DateTimeOffset endedAt, CancellationToken cancellationToken = default) =>
        MarkInterruptedAsync(id, endedAt, ServerRestartCause, cancellationToken);

    /// <summary>Closes an open record as <see cref="CallOutcome.Interrupted"/> with <paramref name="hangupCause"/> (a
    /// survivor closing a dead node's calls says which node was lost).</summary>
    public Task<bool> MarkInterruptedAsync(string id, DateTimeOffset endedAt, string hangupCause, CancellationToken cancellationToken = default) =>
        ExecuteAsync(
            """
            UPDATE calls SET ended_at = @EndedAt, outcome = 'Interrupted', hangup_cause = @Cause, hangup_side = 'System'
            WHERE id = @Id AND ended_at IS NULL;
            """,
            new { Id = id, EndedAt = UnixTimeHandlers.ToDb(endedAt), Cause = hangupCause },
            cancellationToken);

    /// <summary>One call by id.</summary>
    public async Task<CallRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<CallRecord>(
            $"SELECT {Columns} FROM calls WHERE id = @Id;", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>Calls not closed yet (at start-up: calls cut by a crash). On a cluster node (<see cref="Database.Node"/>)
    /// only the ones this node wrote (and unattributed ones): the other nodes' open calls are live.</summary>
    public async Task<IReadOnlyList<CallRecord>> ListOpenAsync(CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CallRecord>(
            $"SELECT {Columns} FROM calls WHERE ended_at IS NULL AND (@Node IS NULL OR node IS NULL OR node = @Node) ORDER BY started_at;", new { database.Node })
            .ConfigureAwait(false)).AsList();
    }

    /// <summary>Calls matching <paramref name="query"/>, newest first, one page.</summary>
    public async Task<IReadOnlyList<CallRecord>> QueryAsync(CallQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CallRecord>(
            $"""
            SELECT {Columns} FROM calls
            WHERE (@From IS NULL OR started_at >= @From)
              AND (@To IS NULL OR started_at < @To)
              AND (@Number IS NULL OR caller = @Number OR dialed = @Number)
              AND (@Agent IS NULL OR agent = @Agent)
              AND (@Outcome IS NULL OR outcome = @Outcome)
              AND (@Disposition IS NULL OR {database.Dialect.Position}(',' || coalesce(disposition, '') || ',', ',' || @Disposition || ',') > 0)
              AND (@CsatMin IS NULL OR csat >= @CsatMin)
              AND (@CsatMax IS NULL OR csat <= @CsatMax)
            ORDER BY started_at DESC, id
            LIMIT @Limit OFFSET @Offset;
            """,
            new
            {
                From = UnixTimeHandlers.ToDb(query.From),
                To = UnixTimeHandlers.ToDb(query.To),
                query.Number,
                query.Agent,
                Outcome = query.Outcome?.ToString(),
                query.Disposition,
                query.CsatMin,
                query.CsatMax,
                Limit = Math.Clamp(query.Limit, 1, 1000),
                Offset = Math.Max(0, query.Offset),
            }).ConfigureAwait(false)).AsList();
    }

    /// <summary>The per-call statements (open, answer, close): a plain command with exact parameter names
    /// (<see cref="PlainCommand"/>), in the storage queue's write batch when there is one. True when one row changed.</summary>
    private async Task<bool> ExecuteOneAsync(string sql, CancellationToken cancellationToken, params PlainCommand.Arg[] args)
    {
        await using WriteLease write = await database.OpenWriteAsync(cancellationToken).ConfigureAwait(false); // a storage-queue batch's, if any
        return await PlainCommand.ExecuteAsync(write, sql, args).ConfigureAwait(false) == 1;
    }

    private async Task<bool> ExecuteAsync(string sql, object parameters, CancellationToken cancellationToken)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(sql, parameters).ConfigureAwait(false) == 1;
    }
}
