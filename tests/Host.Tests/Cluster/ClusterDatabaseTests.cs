using Microsoft.Extensions.Configuration;
using Telephony.Host.Cluster;
using Telephony.Recording.Storage;

namespace Telephony.Host.Tests.Cluster;

/// <summary>
/// A node's one pool to <c>cluster.database</c> (<see cref="ClusterDatabase"/>, nothing opened here): its size from
/// <c>cluster.maxConnections</c> (default, bad values named), and the storage shares it only when it is the same
/// database (the same connection string but for the pool's size).
/// </summary>
public sealed class ClusterDatabaseTests
{
    private const string Cluster = "Host=127.0.0.1;Port=5432;Database=telephony;Username=telephony;Password=secret";

    private static IConfiguration Config(string? maxConnections) => new ConfigurationBuilder()
        .AddInMemoryCollection(new Dictionary<string, string?> { [ClusterDatabase.MaxConnectionsKey] = maxConnections }).Build();

    [Fact]
    public void The_pool_size_defaults_and_a_bad_value_is_named()
    {
        Assert.Equal(ClusterDatabase.DefaultMaxConnections, ClusterDatabase.MaxConnectionsFrom(Config(null)));
        Assert.Equal(12, ClusterDatabase.MaxConnectionsFrom(Config("12")));
        foreach (var bad in new[] { "0", "1", "1001", "many", "2.5" })
        {
            var error = Assert.Throws<FormatException>(() => ClusterDatabase.MaxConnectionsFrom(Config(bad)));
            Assert.Contains("cluster.maxConnections", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_storage_shares_the_pool_only_when_it_is_the_same_database()
    {
        await using var same = new ClusterDatabase(Cluster, 7, StorageProvider.Postgres,
            "Username=telephony;Password=secret;Host=127.0.0.1;Database=telephony;Maximum Pool Size=90");
        Assert.True(same.SharedWithStorage);
        Assert.Same(same.DataSource, same.PoolFor("Host=127.0.0.1;Database=telephony;Username=telephony;Password=secret"));
        Assert.Equal(7, new Npgsql.NpgsqlConnectionStringBuilder(same.DataSource.ConnectionString).MaxPoolSize);

        await using var other = new ClusterDatabase(Cluster, 7, StorageProvider.Postgres,
            "Host=127.0.0.1;Database=telephony;Username=telephony;Password=secret;Search Path=elsewhere");
        Assert.False(other.SharedWithStorage);
        Assert.Null(other.PoolFor("Host=127.0.0.1;Database=records;Username=telephony;Password=secret"));

        await using var sqlite = new ClusterDatabase(Cluster, 7, StorageProvider.Sqlite, null);
        Assert.False(sqlite.SharedWithStorage);
    }
}
