using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The <c>supervisions</c> table: who supervised a call, in which modes, and when. Each mode is a segment:
/// <see cref="StartAsync"/> opens one, <see cref="SwitchModeAsync"/> ends the open one and opens the next,
/// <see cref="EndAsync"/> ends it.
/// </summary>
public sealed class SupervisionStore(Database database)
{
    private const string Columns =
        "id AS Id, call_id AS CallId, supervisor_call_id AS SupervisorCallId, supervisor AS Supervisor, agent AS Agent, " +
        "mode AS Mode, started_at AS StartedAt, ended_at AS EndedAt";

    private const string InsertSql =
        """
        INSERT INTO supervisions (call_id, supervisor_call_id, supervisor, agent, mode, started_at)
        VALUES (@CallId, @SupervisorCallId, @Supervisor, @Agent, @Mode, @At) RETURNING id;
        """;

    private const string EndSql =
        "UPDATE supervisions SET ended_at = @At WHERE supervisor_call_id = @SupervisorCallId AND ended_at IS NULL;";

    /// <summary>A supervisor joined <paramref name="callId"/> in <paramref name="mode"/>; returns the row id.</summary>
    public async Task<long> StartAsync(string callId, string supervisorCallId, string supervisor, string agent, string mode,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(InsertSql,
            Row(callId, supervisorCallId, supervisor, agent, mode, at)).ConfigureAwait(false);
    }

    /// <summary>The supervisor switched to <paramref name="mode"/>: ends the open segment and starts a new one
    /// (one transaction). Returns the new row id.</summary>
    public async Task<long> SwitchModeAsync(string callId, string supervisorCallId, string supervisor, string agent,
        string mode, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken)
            .ConfigureAwait(false);
        await connection.ExecuteAsync(EndSql, new { SupervisorCallId = supervisorCallId, At = UnixTimeHandlers.ToDb(at) },
            transaction).ConfigureAwait(false);
        var id = await connection.ExecuteScalarAsync<long>(InsertSql,
            Row(callId, supervisorCallId, supervisor, agent, mode, at), transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    /// <summary>The supervisor left: ends the open segment of <paramref name="supervisorCallId"/> (if any).</summary>
    public async Task EndAsync(string supervisorCallId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await connection.ExecuteAsync(EndSql, new { SupervisorCallId = supervisorCallId, At = UnixTimeHandlers.ToDb(at) })
            .ConfigureAwait(false);
    }

    /// <summary>Supervision segments of one call, oldest first.</summary>
    public async Task<IReadOnlyList<SupervisionRecord>> ListByCallAsync(string callId,
        CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<SupervisionRecord>(
            $"SELECT {Columns} FROM supervisions WHERE call_id = @CallId ORDER BY started_at, id;",
            new { CallId = callId }).ConfigureAwait(false)).AsList();
    }

    private static object Row(string callId, string supervisorCallId, string supervisor, string agent, string mode,
        DateTimeOffset at) => new
        {
            CallId = callId,
            SupervisorCallId = supervisorCallId,
            Supervisor = supervisor,
            Agent = agent,
            Mode = mode,
            At = UnixTimeHandlers.ToDb(at),
        };
}
