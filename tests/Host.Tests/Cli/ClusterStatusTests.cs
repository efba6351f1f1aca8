using Telephony.Host.Cli;
using Telephony.Recording.Storage;

namespace Telephony.Host.Tests.Cli;

/// <summary><c>cluster status</c> on a single node: node id, storage and "not configured", exit 0; nothing created.</summary>
public sealed class ClusterStatusTests
{
    [Fact]
    public void NoClusterConfigured_SaysSoPlainly_Exit0_CreatesNothing()
    {
        using var copy = new SampleConfigCopy();
        var data = Path.Combine(copy.Root, "data");

        var run = CliRun.Of("cluster", "status", "--config", copy.Config, "--data", data);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains($"node: {Environment.MachineName} (cluster.nodeId not set: the host name)", run.Out, StringComparison.Ordinal);
        Assert.Contains($"storage: sqlite {Path.Combine(data, "telephony.db")} (not created yet", run.Out, StringComparison.Ordinal);
        Assert.Contains("cluster: not configured; this node runs alone", run.Out, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task MigratedDatabase_ReportsItsSchemaVersion_AndConfiguredNodeId()
    {
        using var copy = new SampleConfigCopy();
        var data = Path.Combine(copy.Root, "data");
        await new Database(Path.Combine(data, "telephony.db")).MigrateAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();

        var run = CliRun.Of("cluster", "status", "--config", copy.Config, "--data", data, "--cluster:nodeId=node-a");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("node: node-a\n", run.Out.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains($"schema version {Database.LatestVersion} (this build: {Database.LatestVersion}, up to date)", run.Out, StringComparison.Ordinal);
        Assert.Contains("cluster: not configured", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void UnreadableDatabase_Exit3()
    {
        using var copy = new SampleConfigCopy();
        var data = Path.Combine(copy.Root, "data");
        Directory.CreateDirectory(data);
        File.WriteAllText(Path.Combine(data, "telephony.db"), "this is not a database, just text that is long enough to be read");

        var run = CliRun.Of("cluster", "status", "--config", copy.Config, "--data", data);

        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains("cannot be read", run.Error, StringComparison.Ordinal);
    }
}
