using Telephony.Host.Cli;

namespace Telephony.Host.Tests.Cli;

/// <summary><c>config check</c>: the sample passes; each kind of broken file is refused with file, line and field.</summary>
public sealed class ConfigCheckTests
{
    [Fact]
    public void SampleConfig_Exit0_ReportsEveryFile()
    {
        var run = CliRun.Of("config", "check", "--config", SampleConfigCopy.SampleConfig);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal("", run.Error);
        foreach (var expected in new[]
        {
            "telephony.yaml: SIP udp 5060 / tcp 5060, RTP 20000-29999",
            "extensions.yaml: 5 extension(s)",
            "queues.yaml: 4 queue(s)",
            "ivr.yaml: flow 'support-line' answers 08001234567",
            "Configuration OK",
        })
        {
            Assert.Contains(expected, run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void BadPortInTelephonyYaml_Exit1_NamesFileLineAndField()
    {
        using var copy = new SampleConfigCopy();
        var line = copy.Replace("telephony.yaml", "udpPort: 5060", "udpPort: 70000");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains($"{copy.PathOf("telephony.yaml")}:{line}:3: sip.udpPort 70000 is not a port number", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Configuration OK", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void NotANumber_BinderMessage_IsRewritten_WithFileLineAndField()
    {
        using var copy = new SampleConfigCopy();
        var line = copy.Replace("telephony.yaml", "tcpPort: 5060", "tcpPort: lots");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains($"telephony.yaml:{line}:3: sip.tcpPort 'lots' must be a whole number", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExtensionWithoutPassword_PointsAtTheListItem()
    {
        using var copy = new SampleConfigCopy();
        copy.Replace("extensions.yaml", "password: pass1002", "comment: no password");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Matches(@"extensions\.yaml:\d+:\d+: extensions\[1\] \(1002\) has no password", run.Error);
    }

    [Fact]
    public void YamlSyntaxError_Exit1_FileLineColumn()
    {
        using var copy = new SampleConfigCopy();
        var line = copy.Replace("telephony.yaml", "udpPort: 5060", "udpPort: 5060: 5061");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains($"{copy.PathOf("telephony.yaml")}:{line}:", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnclosedFlowSequence_YamlDotNetInvalidOperation_StillNamesTheFile()
    {
        using var copy = new SampleConfigCopy();
        copy.Replace("telephony.yaml", "udpPort: 5060", "udpPort: [5060");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains(copy.PathOf("telephony.yaml") + ": ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void BrokenQueuesAndIvr_BothReported_WithTheirLines()
    {
        using var copy = new SampleConfigCopy();
        var queuesLine = copy.Replace("queues.yaml", "strategy: longest-idle", "strategy: whoever");
        var ivrLine = copy.Replace("ivr.yaml", "next: office-hours", "next: office-hourz");

        var run = CliRun.Of("config", "check", "--config", copy.Config);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains($"{copy.PathOf("queues.yaml")}:{queuesLine}:", run.Error, StringComparison.Ordinal);
        Assert.Contains($"{copy.PathOf("ivr.yaml")}:{ivrLine}:", run.Error, StringComparison.Ordinal);
        Assert.Contains("2 problem(s)", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ProblemSetOnTheCommandLine_IsBlamedOnTheArgument()
    {
        var run = CliRun.Of("config", "check", "--config", SampleConfigCopy.SampleConfig, "--sip:udpPort=70000");

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains("command line --sip:udpPort: sip.udpPort 70000 is not a port number", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingConfigFolder_Exit1_NamesTheFile()
    {
        var missing = Path.Combine(Path.GetTempPath(), "telephony-cli-missing-" + Guid.NewGuid().ToString("N"));

        var run = CliRun.Of("config", "check", "--config", missing);

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains(Path.Combine(missing, "telephony.yaml") + ": file not found", run.Error, StringComparison.Ordinal);
    }
}
