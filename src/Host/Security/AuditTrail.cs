using Telephony.Host.Recording;
using Telephony.Recording.Storage;

namespace Telephony.Host.Security;

/// <summary>The <see cref="IAuditTrail"/> on the <c>audit</c> table (SQLite or PostgreSQL); every entry is also logged (Information).</summary>
public sealed class AuditTrail(Database database, StorageQueue queue, TimeProvider time, ILogger<AuditTrail> logger) : IAuditTrail
{
    private readonly AuditStore _store = new(database);

    public async Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        AuditEntry stamped = Stamp(entry);
        try
        {
            await _store.AppendAsync(stamped, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            // The action itself went through; losing its audit row must be loud, not fatal to the request.
            logger.LogError(e, "Audit entry not stored: {Action} by {Actor}", stamped.Action, stamped.Actor);
        }
    }

    public void Record(AuditEntry entry)
    {
        AuditEntry stamped = Stamp(entry);
        queue.Enqueue(() => _store.AppendAsync(stamped));
    }

    private AuditEntry Stamp(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        AuditEntry stamped = entry.OccurredAt == default ? entry with { OccurredAt = time.GetUtcNow() } : entry;
        logger.LogInformation("Audit {Action} {Outcome}: actor {Actor} ({Role}) from {Source}, target {Target}",
            stamped.Action, stamped.Outcome, stamped.Actor, stamped.Role, stamped.Source, stamped.Target);
        return stamped;
    }
}
