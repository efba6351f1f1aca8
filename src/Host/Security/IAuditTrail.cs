using Telephony.Recording.Storage;

namespace Telephony.Host.Security;

/// <summary>
/// The audit trail: security-relevant actions with who, when, from where, on what and how it ended, stored append-only
/// (<see cref="AuditStore"/>) and readable by admins at <c>GET /api/audit</c>. Action names are in
/// <see cref="AuditActions"/> (the SIP ban list reports <see cref="AuditActions.Ban"/> / <see cref="AuditActions.Unban"/>
/// with actor <c>system</c>, source <c>sip:&lt;address&gt;</c>, target the banned address).
/// </summary>
public interface IAuditTrail
{
    /// <summary>Stores <paramref name="entry"/> (a missing <see cref="AuditEntry.OccurredAt"/> becomes now) and
    /// completes when it is written.</summary>
    Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Queues <paramref name="entry"/> without waiting (for call-layer threads); written in order.</summary>
    void Record(AuditEntry entry);
}
