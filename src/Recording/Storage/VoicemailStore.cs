using Dapper;
using System.Data.Common;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>
/// The <c>voicemails</c> table: a message is opened when the caller starts speaking (<see cref="VoicemailStatus.Recording"/>),
/// closed as <see cref="VoicemailStatus.New"/> (or <see cref="VoicemailStatus.Discarded"/>), then heard and handled by
/// people, the handling storing the reply time.
/// </summary>
public sealed class VoicemailStore(Database database)
{
    private const string Columns =
        """
        id AS Id, mailbox AS Mailbox, call_id AS CallId, caller AS Caller, path AS Path, format AS Format,
        created_at AS CreatedAt, duration_ms AS Duration, size_bytes AS SizeBytes, sha256 AS Sha256, status AS Status,
        heard_at AS HeardAt, heard_by AS HeardBy, handled_at AS HandledAt, handled_by AS HandledBy, reply_ms AS ReplyTime
        """;

    /// <summary>Opens a message being recorded; returns its id.</summary>
    public async Task<long> StartAsync(string mailbox, string callId, string caller, string path, RecordingFormat format,
        DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO voicemails (mailbox, call_id, caller, path, format, created_at, status, node)
            VALUES (@Mailbox, @CallId, @Caller, @Path, @Format, @CreatedAt, 'Recording', @Node) RETURNING id;
            """,
            new
            {
                Mailbox = mailbox, CallId = callId, Caller = caller, Path = path, Format = format.ToString(),
                CreatedAt = UnixTimeHandlers.ToDb(createdAt), database.Node,
            }).ConfigureAwait(false);
    }

    /// <summary>Closes a message still being recorded as <see cref="VoicemailStatus.New"/> or
    /// <see cref="VoicemailStatus.Discarded"/>, with its figures. False when it was not recording any more.</summary>
    public async Task<bool> FinishAsync(long id, VoicemailStatus status, TimeSpan duration, long sizeBytes, string? sha256,
        CancellationToken cancellationToken = default)
    {
        if (status is not (VoicemailStatus.New or VoicemailStatus.Discarded))
        {
            throw new ArgumentOutOfRangeException(nameof(status), status, "a recorded message is New or Discarded");
        }

        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            """
            UPDATE voicemails SET status = @Status, duration_ms = @DurationMs, size_bytes = @SizeBytes, sha256 = @Sha256
            WHERE id = @Id AND status = 'Recording';
            """,
            new { Id = id, Status = status.ToString(), DurationMs = UnixTimeHandlers.ToDb(duration), SizeBytes = sizeBytes, Sha256 = sha256 })
            .ConfigureAwait(false) == 1;
    }

    /// <summary>Throws a closed message away (the caller recorded it again). False when it was already handled or gone.</summary>
    public async Task<bool> DiscardAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE voicemails SET status = 'Discarded' WHERE id = @Id AND status IN ('Recording', 'New');", new { Id = id })
            .ConfigureAwait(false) == 1;
    }

    /// <summary>A new message was played or downloaded by <paramref name="by"/>: New → Heard (once; later plays change
    /// nothing). True when it changed.</summary>
    public async Task<bool> MarkHeardAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(
            "UPDATE voicemails SET status = 'Heard', heard_at = @At, heard_by = @By WHERE id = @Id AND status = 'New';",
            new { Id = id, By = by, At = UnixTimeHandlers.ToDb(at) }).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// <paramref name="by"/> handled the message at <paramref name="at"/>: New or Heard → Handled, with the reply time
    /// (message to handled). Returns the updated message, or null when it is not new or heard (unknown, still recording,
    /// discarded, or already handled).
    /// </summary>
    public async Task<VoicemailMessage?> MarkHandledAsync(long id, string by, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        int changed = await connection.ExecuteAsync(
            $"""
            UPDATE voicemails SET status = 'Handled', handled_at = @At, handled_by = @By, reply_ms = {database.Dialect.Greatest}(0, @At - created_at)
            WHERE id = @Id AND status IN ('New', 'Heard');
            """,
            new { Id = id, By = by, At = UnixTimeHandlers.ToDb(at) }).ConfigureAwait(false);
        return changed == 1
            ? await connection.QuerySingleAsync<VoicemailMessage>($"SELECT {Columns} FROM voicemails WHERE id = @Id;", new { Id = id })
                .ConfigureAwait(false)
            : null;
    }

    /// <summary>One message by id.</summary>
    public async Task<VoicemailMessage?> GetAsync(long id, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<VoicemailMessage>(
            $"SELECT {Columns} FROM voicemails WHERE id = @Id;", new { Id = id }).ConfigureAwait(false);
    }

    /// <summary>Messages matching <paramref name="query"/>, newest first, one page.</summary>
    public async Task<IReadOnlyList<VoicemailMessage>> ListAsync(VoicemailQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        string mailboxes = query.Mailboxes is null ? "" : "AND " + database.Dialect.InList("mailbox", "@Mailboxes");
        return (await connection.QueryAsync<VoicemailMessage>(
            $"""
            SELECT {Columns} FROM voicemails
            WHERE (@Status IS NULL AND status IN ('New', 'Heard', 'Handled') OR status = @Status)
              AND (@From IS NULL OR created_at >= @From)
              AND (@To IS NULL OR created_at < @To)
              {mailboxes}
            ORDER BY created_at DESC, id DESC
            LIMIT @Limit OFFSET @Offset;
            """,
            new
            {
                Status = query.Status?.ToString(),
                From = UnixTimeHandlers.ToDb(query.From),
                To = UnixTimeHandlers.ToDb(query.To),
                Mailboxes = query.Mailboxes?.ToArray() ?? [],
                Limit = Math.Clamp(query.Limit, 1, 1000),
                Offset = Math.Max(0, query.Offset),
            }).ConfigureAwait(false)).AsList();
    }

    /// <summary>Messages in <paramref name="status"/>, oldest first (start-up repair of <see cref="VoicemailStatus.Recording"/>;
    /// on a cluster node only its own and unattributed ones, see <see cref="Database.Node"/>).</summary>
    public async Task<IReadOnlyList<VoicemailMessage>> ListByStatusAsync(VoicemailStatus status, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<VoicemailMessage>(
            $"SELECT {Columns} FROM voicemails WHERE status = @Status AND (@Node IS NULL OR node IS NULL OR node = @Node) ORDER BY created_at, id;",
            new { Status = status.ToString(), database.Node })
            .ConfigureAwait(false)).AsList();
    }
}
