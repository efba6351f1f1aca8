namespace Telephony.Interop.Tests.Deployment;

/// <summary>
/// The built executable's commands as an operator runs them: help, version, config check on the sample configuration and on
/// a broken copy (file, line and field named; exit 1), serve refusing a broken telephony.yaml, IVR tree or queues.yaml
/// with config check's lines (exit 1), a usage error (exit 2). The default command (no arguments = serve)
/// is covered by every test that starts the server.
/// </summary>
public sealed class HostCommandLineTests(ITestOutputHelper output)
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
            (string config, string yaml, int line) = BrokenCopy(folder);

            ProcessRun run = await ProcessRun.HostAsync("config", "check", "--config", config);

            Assert.True(run.ExitCode == 1, run.ToString());
            Assert.Contains($"{yaml}:{line}:3: sip.maxCalls -1 must be 0 (no limit) or more", run.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_BrokenCopy_RefusesToStart_Exit1_NamingFileLineAndField()
    {
        string folder = RepoPaths.NewTempDirectory("serve-refused");
        try
        {
            (string config, string yaml, int line) = BrokenCopy(folder);
            var env = new Dictionary<string, string?> { ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config };

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(
                () => ServerProcess.StartAsync(PortAllocator.For<HostCommandLineTests>(), output, env, TimeSpan.FromSeconds(20)));

            output.WriteLine(refused.Message);
            Assert.Contains("exited with code 1", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"{yaml}:{line}:3: sip.maxCalls -1 must be 0 (no limit) or more", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("ivr.yaml", "next: office-hours", "next: office-hourz", "office-hourz")]
    [InlineData("queues.yaml", "strategy: longest-idle", "strategy: longest-idel", "longest-idel")]
    public async Task Serve_BrokenIvrTreeOrQueues_RefusesToStart_Exit1_WithConfigChecksLines(string file, string from, string to,
        string named)
    {
        string folder = RepoPaths.NewTempDirectory("serve-refused-" + Path.GetFileNameWithoutExtension(file));
        try
        {
            string config = SampleCopy(folder);
            string path = Path.Combine(config, file);
            string text = File.ReadAllText(path);
            Assert.Contains(from, text, StringComparison.Ordinal);
            File.WriteAllText(path, text.Replace(from, to, StringComparison.Ordinal));
            ProcessRun check = await ProcessRun.HostAsync("config", "check", "--config", config, "--sounds", RepoPaths.SoundsDirectory);
            Assert.True(check.ExitCode == 1, check.ToString());
            string[] problems = [.. check.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l.StartsWith(path + ":", StringComparison.Ordinal))];
            Assert.NotEmpty(problems);
            Assert.Contains(problems, p => p.Contains(named, StringComparison.Ordinal));

            var env = new Dictionary<string, string?> { ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config };
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(
                () => ServerProcess.StartAsync(PortAllocator.For<HostCommandLineTests>(), output, env, TimeSpan.FromSeconds(20)));

            output.WriteLine(refused.Message);
            Assert.Contains("exited with code 1", refused.Message, StringComparison.Ordinal);
            foreach (string problem in problems)
            {
                Assert.Contains(problem, refused.Message, StringComparison.Ordinal); // file:line:column: problem
            }
            Assert.DoesNotContain("Telephony starting", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>The sample config copied to <paramref name="folder"/>/config.</summary>
    private static string SampleCopy(string folder)
    {
        string config = Path.Combine(folder, "config");
        Directory.CreateDirectory(config);
        foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
        {
            File.Copy(file, Path.Combine(config, Path.GetFileName(file)));
        }
        return config;
    }

    /// <summary>The sample config copied under <paramref name="folder"/> with <c>sip.maxCalls: -1</c> (a key the test
    /// server's environment does not override); its line (1-based).</summary>
    private static (string Config, string Yaml, int Line) BrokenCopy(string folder)
    {
        string config = SampleCopy(folder);
        string yaml = Path.Combine(config, "telephony.yaml");
        string[] lines = File.ReadAllLines(yaml);
        int index = Array.FindIndex(lines, l => l.StartsWith("  maxCalls:", StringComparison.Ordinal));
        lines[index] = "  maxCalls: -1";
        File.WriteAllLines(yaml, lines);
        return (config, yaml, index + 1);
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
