using System.Text;
using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The append-only <c>audit</c> table: <see cref="AppendAsync"/> adds an entry, <see cref="QueryAsync"/> pages
/// through them newest first. There is no update or delete here, and the schema's triggers refuse both.
/// </summary>
public sealed class AuditStore(Database database)
{
    private const string Columns =
        "id AS Id, occurred_at AS OccurredAt, actor AS Actor, role AS Role, source AS Source, action AS Action, " +
        "target AS Target, outcome AS Outcome, detail AS Detail";

    /// <summary>Adds <paramref name="entry"/> (its <see cref="AuditEntry.Id"/> is ignored); returns the new id.</summary>
    public async Task<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO audit (occurred_at, actor, role, source, action, target, outcome, detail)
            VALUES (@At, @Actor, @Role, @Source, @Action, @Target, @Outcome, @Detail) RETURNING id;
            """,
            new
            {
                At = UnixTimeHandlers.ToDb(entry.OccurredAt),
                entry.Actor,
                entry.Role,
                entry.Source,
                entry.Action,
                entry.Target,
                entry.Outcome,
                entry.Detail,
            }).ConfigureAwait(false);
    }

    /// <summary>Entries matching <paramref name="query"/>, newest first.</summary>
    public async Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var sql = new StringBuilder($"SELECT {Columns} FROM audit WHERE 1 = 1");
        var args = new DynamicParameters();
        if (query.From is { } from)
        {
            sql.Append(" AND occurred_at >= @From");
            args.Add("From", UnixTimeHandlers.ToDb(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND occurred_at < @To");
            args.Add("To", UnixTimeHandlers.ToDb(to));
        }

        if (query.Actor is { } actor)
        {
            sql.Append(" AND actor = @Actor");
            args.Add("Actor", actor);
        }

        if (query.Action is { } action)
        {
            if (action.EndsWith('.'))
            {
                // A category: every action that starts with it (substr, not LIKE, so '_' and '%' are literal).
                sql.Append(" AND substr(action, 1, @CategoryLength) = @Action");
                args.Add("CategoryLength", action.Length);
            }
            else
            {
                sql.Append(" AND action = @Action");
            }

            args.Add("Action", action);
        }

        if (query.Target is { } target)
        {
            sql.Append(" AND target = @Target");
            args.Add("Target", target);
        }

        if (query.Outcome is { } outcome)
        {
            sql.Append(" AND outcome = @Outcome");
            args.Add("Outcome", outcome);
        }

        sql.Append(" ORDER BY occurred_at DESC, id DESC LIMIT @Limit OFFSET @Offset;");
        args.Add("Limit", query.Limit);
        args.Add("Offset", query.Offset);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<AuditEntry>(sql.ToString(), args).ConfigureAwait(false)).AsList();
    }
}
