using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The <c>callbacks</c> and <c>callback_attempts</c> tables (schema 7). Every change that matters for a restart commits
/// before the call layer acts on it: a callback is saved before it takes its place in line, an attempt is begun (only
/// while the callback is pending) before the customer is called. A request that did not come from a waiting caller
/// gets its own queue visit (outcome <c>CallbackRequested</c>) so the statistics count it; completing a callback stamps
/// its visit's <c>callback_completed_at</c>.
/// </summary>
public sealed class CallbackStore(Database database)
{
    private const string Columns =
        """
        id AS Id, queue AS Queue, number AS Number, name AS Name, note AS Note, priority AS Priority, arrived_at AS ArrivedAt,
        requested_at AS RequestedAt, not_before AS NotBefore, deadline AS Deadline, source AS Source, requested_by AS RequestedBy,
        source_address AS SourceAddress, original_call_id AS OriginalCallId, caller_id AS CallerId, tags AS Tags, data AS Data,
        status AS Status, attempts AS Attempts, next_attempt_at AS NextAttemptAt, closed_at AS ClosedAt, detail AS Detail,
        call_id AS CallId, agent AS Agent, visit_call_id AS VisitCallId
        """;

    private const string AttemptColumns =
        """
        id AS Id, callback_id AS CallbackId, attempt AS Attempt, call_id AS CallId, agent AS Agent, started_at AS StartedAt,
        ended_at AS EndedAt, result AS Result
        """;

    /// <summary>
    /// Stores a new pending callback, or (same id, still pending) its place in line and data. With
    /// <paramref name="ownVisit"/> a new callback also gets a queue visit of its own (call id = the callback's id, entered
    /// and ended at the request time). Returns true when the row was inserted (a new request).
    /// </summary>
    public async Task<bool> SaveAsync(CallbackRecord callback, bool ownVisit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(callback);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var row = Parameters(callback) with { VisitCallId = ownVisit ? callback.Id : callback.VisitCallId, Node = database.Node };
        long inserted = await connection.ExecuteAsync(
            """
            INSERT INTO callbacks (id, queue, number, name, note, priority, arrived_at, requested_at, not_before, deadline,
                source, requested_by, source_address, original_call_id, caller_id, tags, data, status, attempts, visit_call_id, node)
            VALUES (@Id, @Queue, @Number, @Name, @Note, @Priority, @ArrivedAt, @RequestedAt, @NotBefore, @Deadline, @Source,
                @RequestedBy, @SourceAddress, @OriginalCallId, @CallerId, @Tags, @Data, 'Pending', @Attempts, @VisitCallId, @Node)
            ON CONFLICT DO NOTHING;
            """, row, transaction).ConfigureAwait(false);
        if (inserted == 0)
        {
            await connection.ExecuteAsync(
                """
                UPDATE callbacks SET arrived_at = @ArrivedAt, priority = @Priority, number = @Number, data = @Data, tags = @Tags,
                    deadline = @Deadline
                WHERE id = @Id AND status = 'Pending';
                """, row, transaction).ConfigureAwait(false);
        }
        else if (ownVisit)
        {
            await QueueVisitRollup.InsertAsync(connection, transaction,
                "(call_id, queue, entered_at, outcome, outcome_at) VALUES (@Id, @Queue, @RequestedAt, 'CallbackRequested', @RequestedAt)", row)
                .ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return inserted == 1;
    }

    /// <summary>
    /// Attempt <paramref name="attempt"/> begins (the customer is about to be called): inserted, in one transaction, only
    /// while the callback is pending. False when it is not (cancelled or closed meanwhile).
    /// </summary>
    public async Task<bool> BeginAttemptAsync(string callbackId, int attempt, string callId, string agent, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var args = new { Id = callbackId, Attempt = attempt, CallId = callId, Agent = agent, At = UnixTimeHandlers.ToDb(at) };
        int pending = await connection.ExecuteAsync(
            "UPDATE callbacks SET attempts = @Attempt, next_attempt_at = NULL WHERE id = @Id AND status = 'Pending';", args, transaction)
            .ConfigureAwait(false);
        if (pending == 1)
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO callback_attempts (callback_id, attempt, call_id, agent, started_at)
                VALUES (@Id, @Attempt, @CallId, @Agent, @At);
                """, args, transaction).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return pending == 1;
    }

    /// <summary>Attempt <paramref name="attempt"/> ended with <paramref name="result"/>. <paramref name="counted"/> false
    /// (the customer was never called) gives the attempt back; <paramref name="retryAt"/> is the next attempt.</summary>
    public async Task EndAttemptAsync(string callbackId, int attempt, string result, bool counted, DateTimeOffset at,
        DateTimeOffset? retryAt, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var args = new
        {
            Id = callbackId,
            Attempt = attempt,
            Result = result,
            At = UnixTimeHandlers.ToDb(at),
            Retry = UnixTimeHandlers.ToDb(retryAt),
            Attempts = counted ? attempt : attempt - 1,
        };
        await connection.ExecuteAsync(
            "UPDATE callback_attempts SET ended_at = @At, result = @Result WHERE callback_id = @Id AND attempt = @Attempt AND ended_at IS NULL;",
            args, transaction).ConfigureAwait(false);
        await connection.ExecuteAsync(
            "UPDATE callbacks SET attempts = @Attempts, next_attempt_at = @Retry WHERE id = @Id AND status = 'Pending';", args, transaction)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Closes a pending callback as <paramref name="status"/> (<c>Completed</c>, <c>Failed</c>, <c>Expired</c>,
    /// <c>Cancelled</c>); a completed one stamps its queue visit's <c>callback_completed_at</c>. True only the first time.
    /// </summary>
    public async Task<bool> CloseAsync(string callbackId, string status, string detail, DateTimeOffset at, string? callId = null,
        string? agent = null, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var args = new { Id = callbackId, Status = status, Detail = detail, At = UnixTimeHandlers.ToDb(at), CallId = callId, Agent = agent };
        int closed = await connection.ExecuteAsync(
            """
            UPDATE callbacks SET status = @Status, detail = @Detail, closed_at = @At, next_attempt_at = NULL,
                call_id = coalesce(@CallId, call_id), agent = coalesce(@Agent, agent)
            WHERE id = @Id AND status = 'Pending';
            """, args, transaction).ConfigureAwait(false);
        if (closed == 1 && status == "Completed")
        {
            await QueueVisitRollup.UpdateAsync(connection, transaction,
                """
                id = (SELECT max(v.id) FROM queue_visits v JOIN callbacks c ON c.id = @Id
                      WHERE v.call_id = c.visit_call_id AND v.queue = c.queue AND v.outcome = 'CallbackRequested')
                """, "callback_completed_at = @At", args).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return closed == 1;
    }

    /// <summary>
    /// At start-up: attempts left open by a stop or crash (begun, never ended: the customer may have been called) are
    /// ended as <c>Interrupted</c>. Returns the callbacks they belong to that are still pending. On a cluster node
    /// (<see cref="Database.Node"/>) only this node's callbacks (and unattributed ones): the others' attempts are live.
    /// </summary>
    public async Task<IReadOnlyList<string>> InterruptOpenAttemptsAsync(DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var args = new { At = UnixTimeHandlers.ToDb(at), database.Node };
        var ids = (await connection.QueryAsync<string>(
            """
            SELECT DISTINCT a.callback_id FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id
            WHERE a.ended_at IS NULL AND c.status = 'Pending' AND (@Node IS NULL OR c.node IS NULL OR c.node = @Node);
            """, args, transaction).ConfigureAwait(false)).AsList();
        await connection.ExecuteAsync(
            """
            UPDATE callback_attempts SET ended_at = @At, result = 'Interrupted'
            WHERE ended_at IS NULL AND callback_id IN (SELECT id FROM callbacks WHERE @Node IS NULL OR node IS NULL OR node = @Node);
            """, args, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return ids;
    }

    /// <summary>
    /// A cluster survivor takes over the pending callbacks of <paramref name="deadNode"/> (their customer must still be
    /// called back, at their place): they become this node's (<see cref="Database.Node"/>), and their open attempts end
    /// as <c>Interrupted</c> (the dead node may have reached the customer). Two survivors adopting at once split nothing:
    /// each row changes hands once. Returns the adopted callbacks and which of them had an attempt cut.
    /// </summary>
    public async Task<(IReadOnlyList<CallbackRecord> Adopted, IReadOnlyList<string> Interrupted)> AdoptAsync(string deadNode, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deadNode);
        if (database.Node is null || database.Node == deadNode)
        {
            return ([], []);
        }
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var args = new { At = UnixTimeHandlers.ToDb(at), Dead = deadNode, database.Node };
        // The dead node's open attempts first, while its callbacks are still its own: this node's live attempts stay open.
        var interrupted = (await connection.QueryAsync<string>(
            """
            UPDATE callback_attempts SET ended_at = @At, result = 'Interrupted'
            WHERE ended_at IS NULL AND callback_id IN (SELECT id FROM callbacks WHERE node = @Dead AND status = 'Pending')
            RETURNING callback_id;
            """, args, transaction).ConfigureAwait(false)).Distinct(StringComparer.Ordinal).ToList();
        var adopted = (await connection.QueryAsync<CallbackRecord>(
            $"UPDATE callbacks SET node = @Node WHERE node = @Dead AND status = 'Pending' RETURNING {Columns};", args, transaction)
            .ConfigureAwait(false)).AsList();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        adopted.Sort((a, b) => a.ArrivedAt != b.ArrivedAt ? a.ArrivedAt.CompareTo(b.ArrivedAt) : a.RequestedAt.CompareTo(b.RequestedAt));
        return (adopted, interrupted);
    }

    /// <summary>One callback by id.</summary>
    public async Task<CallbackRecord?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<CallbackRecord>($"SELECT {Columns} FROM callbacks WHERE id = @Id;", new { Id = id })
            .ConfigureAwait(false);
    }

    /// <summary>Pending callbacks, in their order of arrival. With <paramref name="ownOnly"/> on a cluster node, only the
    /// ones this node holds (and unattributed ones): what its start-up puts back in line.</summary>
    public async Task<IReadOnlyList<CallbackRecord>> ListPendingAsync(bool ownOnly = false, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CallbackRecord>(
            $"""
            SELECT {Columns} FROM callbacks
            WHERE status = 'Pending' AND (@Node IS NULL OR node IS NULL OR node = @Node) ORDER BY arrived_at, requested_at;
            """, new { Node = ownOnly ? database.Node : null }).ConfigureAwait(false)).AsList();
    }

    /// <summary>Callbacks requested in [<paramref name="from"/>, <paramref name="to"/>) (with <paramref name="status"/>
    /// when given; requested by <paramref name="requestedBy"/> when given), newest first.</summary>
    public async Task<IReadOnlyList<CallbackRecord>> ListAsync(DateTimeOffset from, DateTimeOffset to, string? status = null,
        string? requestedBy = null, int limit = 500, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CallbackRecord>(
            $"""
            SELECT {Columns} FROM callbacks
            WHERE requested_at >= @From AND requested_at < @To AND (@Status IS NULL OR status = @Status)
              AND (@RequestedBy IS NULL OR requested_by = @RequestedBy)
            ORDER BY requested_at DESC, id LIMIT @Limit;
            """,
            new
            {
                From = UnixTimeHandlers.ToDb(from),
                To = UnixTimeHandlers.ToDb(to),
                Status = status,
                RequestedBy = requestedBy,
                Limit = Math.Clamp(limit, 1, 5000),
            }).ConfigureAwait(false)).AsList();
    }

    /// <summary>The attempts of a callback, in order.</summary>
    public async Task<IReadOnlyList<CallbackAttemptRecord>> ListAttemptsAsync(string callbackId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<CallbackAttemptRecord>(
            $"SELECT {AttemptColumns} FROM callback_attempts WHERE callback_id = @Id ORDER BY id;", new { Id = callbackId })
            .ConfigureAwait(false)).AsList();
    }

    /// <summary>How many callbacks for <paramref name="number"/> were requested since <paramref name="since"/> (the
    /// per-number rate limit holds across restarts).</summary>
    public async Task<int> CountRequestsForNumberAsync(string number, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<int>(
            "SELECT count(*) FROM callbacks WHERE number = @Number AND requested_at >= @Since;",
            new { Number = number, Since = UnixTimeHandlers.ToDb(since) }).ConfigureAwait(false);
    }

    /// <summary>Names the callback and the original call on a callback attempt's call record.</summary>
    public async Task<bool> LinkCallAsync(string callId, string callbackId, string? originalCallId, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync("UPDATE calls SET callback_id = @CallbackId, callback_of = @Original WHERE id = @CallId;",
            new { CallId = callId, CallbackId = callbackId, Original = originalCallId }).ConfigureAwait(false) == 1;
    }

    private static Row Parameters(CallbackRecord c) => new(c.Id, c.Queue, c.Number, c.Name, c.Note, c.Priority,
        UnixTimeHandlers.ToDb(c.ArrivedAt), UnixTimeHandlers.ToDb(c.RequestedAt), UnixTimeHandlers.ToDb(c.NotBefore),
        UnixTimeHandlers.ToDb(c.Deadline), c.Source, c.RequestedBy, c.SourceAddress, c.OriginalCallId, c.CallerId, c.Tags, c.Data,
        c.Attempts, c.VisitCallId, null);

    private sealed record Row(string Id, string Queue, string Number, string? Name, string? Note, int Priority, long ArrivedAt,
        long RequestedAt, long? NotBefore, long? Deadline, string Source, string? RequestedBy, string? SourceAddress,
        string? OriginalCallId, string? CallerId, string Tags, string Data, int Attempts, string? VisitCallId,
        string? Node);
}
