namespace Telephony.Cluster.Leases;

/// <summary>The lease operations a <see cref="QueueLeaseKeeper"/> needs (<see cref="QueueLeaseStore"/> in PostgreSQL).</summary>
public interface IQueueLeases
{
    /// <summary>Takes (or keeps) the queue; null while another node holds it.</summary>
    Task<QueueLease?> TryAcquireAsync(string queue, string owner, TimeSpan duration, CancellationToken ct = default);

    /// <summary>Extends the exact lease; null when it lapsed or changed hands.</summary>
    Task<QueueLease?> TryRenewAsync(QueueLease lease, TimeSpan duration, CancellationToken ct = default);

    /// <summary>Gives the lease up now; false when it was no longer held.</summary>
    Task<bool> ReleaseAsync(QueueLease lease, CancellationToken ct = default);
}
