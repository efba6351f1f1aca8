namespace Telephony.Interop.Tests.Deployment;

/// <summary>
/// deploy/install.sh with --dry-run on a stand-in release (prints every step, changes nothing, needs no root) and the
/// systemd unit checked by <c>systemd-analyze verify</c> in a scratch root with a stand-in executable.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTests : IDisposable
{
    private static readonly string Script = Path.Combine(RepoPaths.Root, "deploy", "install.sh");
    private static readonly string Unit = Path.Combine(RepoPaths.Root, "deploy", "systemd", "telephony.service");
    private readonly string folder = RepoPaths.NewTempDirectory("install");

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A folder laid out like a release: executable, config/, sounds/, deploy/systemd/, VERSION.</summary>
    private string FakeRelease()
    {
        string release = Path.Combine(folder, "release");
        Directory.CreateDirectory(Path.Combine(release, "config"));
        Directory.CreateDirectory(Path.Combine(release, "deploy", "systemd"));
        foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
        {
            File.Copy(file, Path.Combine(release, "config", Path.GetFileName(file)));
        }
        File.Copy(Unit, Path.Combine(release, "deploy", "systemd", "telephony.service"));
        string exe = Path.Combine(release, "Telephony.Host");
        File.WriteAllText(exe, "#!/bin/sh\nexit 0\n");
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(Path.Combine(release, "VERSION"), "1.0.0+test\n");
        return release;
    }

    [Fact]
    public async Task DryRun_PrintsEveryStep_AndChangesNothing()
    {
        string release = FakeRelease();
        string target = Path.Combine(folder, "target");
        string user = "telephony-test-" + Guid.NewGuid().ToString("N")[..8];

        ProcessRun run = await ProcessRun.RunAsync("bash", [Script, "--dry-run", "--release", release, "--user", user,
            "--prefix", Path.Combine(target, "opt"), "--config-dir", Path.Combine(target, "etc"), "--data-dir", Path.Combine(target, "var")]);

        Assert.True(run.ExitCode == 0, run.ToString());
        string[] expected =
        [
            "dry run: nothing is changed",
            "release " + release + " (1.0.0+test)",
            $"+ useradd --system --user-group --home-dir {target}/var --no-create-home --shell /usr/sbin/nologin",
            $"+ cp -a {release} {target}/opt.new",
            $"+ mv {target}/opt.new {target}/opt",
            $"+ install -d -o root -g {user} -m 2770 {target}/etc",
            $"+ install -o root -g {user} -m 0660 {release}/config/telephony.yaml {target}/etc/telephony.yaml",
            $"+ install -d -o {user} -g {user} -m 0750 {target}/var",
            $"+ runuser -u {user} -- {target}/opt/Telephony.Host config check --config {target}/etc --data {target}/var",
            "+ write /etc/systemd/system/telephony.service",
            "+ systemctl daemon-reload",
            "+ systemctl enable telephony.service",
            "+ systemctl restart telephony.service",
        ];
        foreach (string line in expected)
        {
            Assert.Contains(line, run.Out, StringComparison.Ordinal);
        }
        Assert.False(Directory.Exists(target), "a dry run created " + target);
    }

    [Fact]
    public async Task DryRun_DefaultPaths_NoStart()
    {
        string release = FakeRelease();
        bool existed = Directory.Exists("/opt/telephony");

        ProcessRun run = await ProcessRun.RunAsync("bash", [Script, "--dry-run", "--release", release, "--no-start"]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"+ cp -a {release} /opt/telephony.new", run.Out, StringComparison.Ordinal);
        Assert.Contains("+ install -d -o telephony -g telephony -m 0750 /var/lib/telephony", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("systemctl restart", run.Out, StringComparison.Ordinal);
        Assert.Contains("+ systemctl enable telephony.service", run.Out, StringComparison.Ordinal);
        Assert.Contains("dry run done: nothing was changed", run.Out, StringComparison.Ordinal);
        Assert.Equal(existed, Directory.Exists("/opt/telephony"));
    }

    [Fact]
    public async Task DryRun_ExistingConfigFilesAreKept_MissingOnesCopied()
    {
        string release = FakeRelease();
        string etc = Path.Combine(folder, "etc");
        Directory.CreateDirectory(etc);
        File.WriteAllText(Path.Combine(etc, "telephony.yaml"), "sip: { udpPort: 5070 }\n");

        ProcessRun run = await ProcessRun.RunAsync("bash", [Script, "--dry-run", "--release", release, "--config-dir", etc]);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"kept {etc}/telephony.yaml", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain($"{release}/config/telephony.yaml {etc}/telephony.yaml", run.Out, StringComparison.Ordinal);
        Assert.Contains($"+ install -o root -g telephony -m 0660 {release}/config/ivr.yaml {etc}/ivr.yaml", run.Out, StringComparison.Ordinal);
        Assert.Equal("sip: { udpPort: 5070 }\n", File.ReadAllText(Path.Combine(etc, "telephony.yaml")));
    }

    [Fact]
    public async Task NotARelease_Exit1_SaysWhy()
    {
        ProcessRun run = await ProcessRun.RunAsync("bash", [Script, "--dry-run", "--release", folder]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("Telephony.Host is missing", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownArgument_Exit2()
    {
        ProcessRun run = await ProcessRun.RunAsync("bash", [Script, "--dry-rum"]);

        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("unknown argument '--dry-rum'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Unit_IsHardened()
    {
        string unit = File.ReadAllText(Unit);
        foreach (string line in new[]
        {
            "User=telephony", "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/telephony /etc/telephony",
            "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
            "LimitNOFILE=65536", "ExecStart=/opt/telephony/Telephony.Host serve --config /etc/telephony --data /var/lib/telephony",
        })
        {
            Assert.Contains(line, unit, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unit_PassesSystemdAnalyzeVerify()
    {
        if (!File.Exists("/usr/bin/systemd-analyze") || !Directory.Exists("/usr/lib/systemd/system"))
        {
            Assert.Fail("systemd-analyze is not installed (apt-get install systemd): the unit cannot be verified");
        }
        // A scratch root: the unit, the system's own units (targets it depends on) and a stand-in executable.
        string root = Path.Combine(folder, "root");
        Directory.CreateDirectory(Path.Combine(root, "etc", "systemd", "system"));
        Directory.CreateDirectory(Path.Combine(root, "opt", "telephony"));
        File.Copy(Unit, Path.Combine(root, "etc", "systemd", "system", "telephony.service"));
        string exe = Path.Combine(root, "opt", "telephony", "Telephony.Host");
        File.WriteAllText(exe, "#!/bin/sh\n");
        File.SetUnixFileMode(exe, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Directory.CreateDirectory(Path.Combine(root, "usr", "lib", "systemd"));
        ProcessRun copy = await ProcessRun.RunAsync("cp", ["-a", "/usr/lib/systemd/system", Path.Combine(root, "usr", "lib", "systemd")]);
        Assert.True(copy.ExitCode == 0, copy.ToString());

        ProcessRun verify = await ProcessRun.RunAsync("systemd-analyze", ["verify", "--root=" + root, "telephony.service"]);

        Assert.True(verify.ExitCode == 0 && verify.Error.Length == 0, verify.ToString());
    }
}
