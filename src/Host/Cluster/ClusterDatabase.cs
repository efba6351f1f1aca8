using System.Globalization;
using Npgsql;
using Telephony.Recording.Storage;

namespace Telephony.Host.Cluster;

/// <summary>
/// A node's one connection pool to <c>cluster.database</c> (an <see cref="NpgsqlDataSource"/> of at most
/// <c>cluster.maxConnections</c> connections, <see cref="DefaultMaxConnections"/> by default), shared by the queue
/// leases, the dispatch rounds, the node's beat and recovery, the bus's publishing and, when the storage is the same
/// PostgreSQL database, the storage (<see cref="PoolFor"/>). Only the bus's <c>LISTEN</c> connection is its own
/// (<see cref="ConnectionString"/>, unpooled). Registered once in the host's container, which disposes it at shutdown.
/// <see cref="MigrateAsync"/> migrates the cluster database once per node (nothing when it is the storage database,
/// which the storage migrates at start, before the cluster services start).
/// </summary>
public sealed class ClusterDatabase : IAsyncDisposable
{
    /// <summary>Connections of a node's pool when <c>cluster.maxConnections</c> is not set.</summary>
    public const int DefaultMaxConnections = 50;

    /// <summary>The configuration key of the pool's size.</summary>
    public const string MaxConnectionsKey = "cluster:maxConnections";

    private readonly Func<CancellationToken, Task> _migrate;
    private readonly SemaphoreSlim _migrating = new(1, 1);
    private volatile bool _migrated;

    /// <param name="connectionString">The cluster database (Npgsql connection string).</param>
    /// <param name="maxConnections">The pool's size.</param>
    /// <param name="storage">The storage database: when it is the same PostgreSQL database it shares the pool and its
    /// migration at start covers the cluster tables.</param>
    public ClusterDatabase(string connectionString, int maxConnections, StorageProvider storage, string? storageConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConnections, 1);
        ConnectionString = connectionString;
        MaxConnections = maxConnections;
        DataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = maxConnections }.ConnectionString);
        SharedWithStorage = storage == StorageProvider.Postgres && storageConnectionString is not null
            && SameDatabase(connectionString, storageConnectionString);
        _migrate = SharedWithStorage ? _ => Task.CompletedTask : ct => Database.ForPostgres(connectionString, DataSource).MigrateAsync(ct);
    }

    /// <summary>The node's pool.</summary>
    public NpgsqlDataSource DataSource { get; }

    /// <summary>The cluster database's connection string as configured (the bus's dedicated <c>LISTEN</c> connection).</summary>
    public string ConnectionString { get; }

    /// <summary>The pool's size.</summary>
    public int MaxConnections { get; }

    /// <summary>True when the storage is this same PostgreSQL database (one pool, one migration).</summary>
    public bool SharedWithStorage { get; }

    /// <summary><see cref="DataSource"/> when <paramref name="storageConnectionString"/> names the cluster database,
    /// else null (the storage keeps its own pool).</summary>
    public NpgsqlDataSource? PoolFor(string? storageConnectionString) =>
        storageConnectionString is not null && SameDatabase(ConnectionString, storageConnectionString) ? DataSource : null;

    /// <summary>
    /// Brings the cluster tables to this build's schema, once per node: the first caller migrates, the others wait for
    /// it; a failure (database unreachable) is thrown to the caller and the next call tries again.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        if (_migrated)
        {
            return;
        }
        await _migrating.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await _migrate(cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migrating.Release();
        }
    }

    /// <summary><c>cluster.maxConnections</c>: <see cref="DefaultMaxConnections"/> when absent; a
    /// <see cref="FormatException"/> naming the key when it is not a whole number from 2 to 1000.</summary>
    public static int MaxConnectionsFrom(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var text = configuration[MaxConnectionsKey];
        if (string.IsNullOrWhiteSpace(text))
        {
            return DefaultMaxConnections;
        }
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value is >= 2 and <= 1000
            ? value
            : throw new FormatException($"cluster.maxConnections '{text}' must be a whole number from 2 to 1000 (connections of the node's pool)");
    }

    /// <summary>Whether two Npgsql connection strings are the same but for the pool's size, setting by setting with
    /// defaults filled in (then they may share one pool).</summary>
    public static bool SameDatabase(string a, string b)
    {
        try
        {
            var (x, y) = (new NpgsqlConnectionStringBuilder(a), new NpgsqlConnectionStringBuilder(b));
            return Settings.All(p => Equals(p.GetValue(x), p.GetValue(y)));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    // Every typed setting of a connection string (Host, Port, Database, Username, Password, Search Path, SSL Mode,
    // timeouts...), except the pool's size.
    private static readonly System.Reflection.PropertyInfo[] Settings = [.. typeof(NpgsqlConnectionStringBuilder)
        .GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.DeclaredOnly)
        .Where(p => p is { CanRead: true, CanWrite: true } && p.GetIndexParameters().Length == 0
            && p.Name is not (nameof(NpgsqlConnectionStringBuilder.MaxPoolSize) or nameof(NpgsqlConnectionStringBuilder.MinPoolSize))
            && !p.IsDefined(typeof(ObsoleteAttribute), inherit: false))];

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync().ConfigureAwait(false);
        _migrating.Dispose();
    }
}
