using Npgsql;
using Telephony.Cluster.Leases;
using Telephony.Host.Ivr;
using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Host.Cluster;

/// <summary>
/// Runs this node's <see cref="QueueLeaseKeeper"/> when <c>cluster.database</c> (an Npgsql connection string) is set:
/// every second it renews the queue leases it holds and claims free queues of queues.yaml, logs every gain and loss,
/// and releases its leases on shutdown; <c>GET /api/cluster</c> lists what it owns, and
/// <see cref="ClusterDispatchService"/> dispatches the owned queues (see src/Cluster/README.md, "Dispatch"). Off (no database, nothing started) by default.
/// </summary>
public sealed class QueueLeaseService(PbxOptions options, ClusterDatabase? cluster, CallCenter center, ILogger<QueueLeaseService> logger)
    : BackgroundService
{
    private QueueLeaseKeeper? _keeper;

    /// <summary>The queues this node owns now (empty when leases are off).</summary>
    public IReadOnlyDictionary<string, QueueLease> Owned => _keeper?.Owned ?? new Dictionary<string, QueueLease>();

    /// <summary>True when <c>cluster.database</c> is set.</summary>
    public bool Enabled => cluster is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var store = new QueueLeaseStore(cluster!.DataSource);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The lease tables are in the PostgreSQL migrations (011): the node migrates the cluster database once
                // (ClusterDatabase; nothing when it is the storage database, already migrated; serialized across nodes).
                await cluster.MigrateAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Queue leases: database not reachable ({Reason}); retrying in 5 s", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ConfigureAwait(false);
            }
        }
        var owner = options.Cluster.EffectiveNodeId;
        _keeper = new QueueLeaseKeeper(store, owner, QueueNames(), TimeProvider.System);
        _keeper.Changed += (_, change) =>
        {
            if (change.Lease is { } lease)
            {
                logger.LogInformation("Queue {Queue}: owned by this node {Node} (fencing token {Token}, {Reason})", change.Queue, owner, lease.Token, change.Reason);
            }
            else
            {
                logger.LogWarning("Queue {Queue}: no longer owned by this node {Node} ({Reason})", change.Queue, owner, change.Reason);
            }
        };
        logger.LogInformation("Queue leases on: node {Node}, {Duration} s leases renewed every {Renew} s", owner,
            _keeper.Duration.TotalSeconds, _keeper.RenewEvery.TotalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            _keeper.SetQueues(QueueNames());
            try
            {
                // A fixed period (not a pause after each round): a slow round must not delay the next claim of a dead
                // node's queues past the 5 s the cluster promises.
                var started = TimeProvider.System.GetTimestamp();
                await _keeper.TickAsync(stoppingToken);
                var rest = _keeper.RenewEvery - TimeProvider.System.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, stoppingToken);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Queue leases: {Reason}", ex.Message);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_keeper is not null)
        {
            try
            {
                await _keeper.ReleaseAllAsync(cancellationToken); // survivors take the queues at once
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or OperationCanceledException)
            {
                logger.LogWarning("Queue leases not released ({Reason}): they lapse on their own", ex.Message);
            }
        }
    }

    private IEnumerable<string> QueueNames() => center.Queues?.Config.Queues.Select(q => q.Name) ?? [];
}
