namespace Telephony.Interop.Tests.Deployment;

/// <summary>
/// The built executable's commands as an operator runs them: help, version, config check on the sample configuration and on
/// a broken copy (file, line and field named; exit 1), a usage error (exit 2). The default command (no arguments = serve)
/// is covered by every test that starts the server.
/// </summary>
public sealed class HostCommandLineTests
{
    [Fact]
    public async Task Help_Exit0_ListsTheCommands_DoesNotStartTheServer()
    {
        ProcessRun run = await ProcessRun.HostAsync("--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (string command in new[] { "serve", "config", "cluster", "ivr", "hash-password", "--config", "--data", "--version" })
        {
            Assert.Contains(command, run.Out, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Telephony starting", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_Exit0_VersionAndGitCommit()
    {
        ProcessRun run = await ProcessRun.HostAsync("--version");

        Assert.True(run.ExitCode == 0, run.ToString());
        // The commit is there when the build saw the git repository (always for this checkout).
        Assert.Matches(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\+[0-9a-f]{7,40}\s*$", run.Out);
    }

    [Fact]
    public async Task ConfigCheck_SampleConfig_Exit0()
    {
        ProcessRun run = await ProcessRun.HostAsync("config", "check", "--config", RepoPaths.ConfigDirectory);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Configuration OK", run.Out, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task ConfigCheck_BrokenCopy_Exit1_NamesFileLineAndField()
    {
        string folder = RepoPaths.NewTempDirectory("config-check");
        try
        {
            string config = Path.Combine(folder, "config");
            Directory.CreateDirectory(config);
            foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
            {
                File.Copy(file, Path.Combine(config, Path.GetFileName(file)));
            }
            string yaml = Path.Combine(config, "telephony.yaml");
            string[] lines = File.ReadAllLines(yaml);
            int index = Array.FindIndex(lines, l => l.Trim() == "rtp:") + 1;
            index += Array.FindIndex(lines[index..], l => l.TrimStart().StartsWith("portMin:", StringComparison.Ordinal));
            lines[index] = "  portMin: 99999";
            File.WriteAllLines(yaml, lines);

            ProcessRun run = await ProcessRun.HostAsync("config", "check", "--config", config);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains($"{yaml}:{index + 1}:3: rtp.portMin/portMax 99999-29999 must be a range", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task UnknownCommand_Exit2_WithAHint()
    {
        ProcessRun run = await ProcessRun.HostAsync("sevre");

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("'sevre'", run.Error, StringComparison.Ordinal);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
    }
}
