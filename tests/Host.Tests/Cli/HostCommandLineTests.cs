using Telephony.Host.Cli;

namespace Telephony.Host.Tests.Cli;

/// <summary>The Host's commands, parsed and run in process: which ones serve, their exit codes and output.</summary>
public sealed class HostCommandLineTests
{
    [Fact]
    public void NoArguments_Serves_WithNoConfigurationArguments()
    {
        var run = CliRun.Of();

        Assert.True(run.Outcome.Serve);
        Assert.Empty(run.Outcome.ServerArguments);
        Assert.Equal("", run.Out + run.Error);
    }

    [Fact]
    public void ConfigurationOverridesAlone_Serve_AsBefore()
    {
        var run = CliRun.Of("--sip:udpPort=5070", "--http:port", "8081", "--urls=http://127.0.0.1:1");

        Assert.True(run.Outcome.Serve);
        Assert.Equal(["--sip:udpPort=5070", "--http:port", "8081", "--urls=http://127.0.0.1:1"], run.Outcome.ServerArguments);
    }

    [Fact]
    public void Serve_ConfigDataSounds_BecomeAbsolutePathKeys_AfterTheOverrides()
    {
        var run = CliRun.Of("serve", "--config", "etc", "-d", "/var/lib/telephony", "--sounds=snd", "--rtp:portMin=30000");

        Assert.True(run.Outcome.Serve);
        Assert.Equal(
            [
                "--rtp:portMin=30000",
                "--paths:configDirectory=" + Path.GetFullPath("etc"),
                "--data:directory=/var/lib/telephony",
                "--paths:soundsDirectory=" + Path.GetFullPath("snd"),
            ],
            run.Outcome.ServerArguments);
    }

    [Fact]
    public void DataDirectoryKey_IsAnOverride_NotTheDataOptionWithValueDirectory()
    {
        var run = CliRun.Of("--data:directory=/srv/data");

        Assert.True(run.Outcome.Serve);
        Assert.Equal(["--data:directory=/srv/data"], run.Outcome.ServerArguments);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("serve", "--help")]
    public void Help_ListsCommands_Exit0_DoesNotServe(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("Usage:", run.Out, StringComparison.Ordinal);
        Assert.Contains("--config", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void RootHelp_NamesEveryCommand_AndTheExitCodes()
    {
        var run = CliRun.Of("--help");

        foreach (var command in new[] { "serve", "config", "cluster", "ivr", "hash-password" })
        {
            Assert.Contains(command, run.Out, StringComparison.Ordinal);
        }
        Assert.Contains("0 ok, 1 invalid input or configuration, 2 usage error", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_PrintsTheInformationalVersion_Exit0()
    {
        var run = CliRun.Of("--version");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(HostVersion.Informational, run.Out.Trim());
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Out);
    }

    [Theory]
    [InlineData("sevre")]
    [InlineData("serve", "--bogus")]
    [InlineData("serve", "extra")]
    [InlineData("ivr")]
    [InlineData("ivr", "validate")]
    [InlineData("ivr", "graph", "config/ivr.yaml", "--format", "svg")]
    [InlineData("config", "check", "--config")]
    [InlineData("hash-password", "--sha1")]
    public void UsageErrors_Exit2_WithAHint_AndDoNotServe(params string[] args)
    {
        var run = CliRun.Of(args);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void ConfigurationOverride_OnAToolCommand_IsAUsageError()
    {
        var run = CliRun.Of("ivr", "validate", "config/ivr.yaml", "--sip:udpPort=5070");

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("'--sip:udpPort=5070'", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void HashPassword_Ha1_FromStandardInput()
    {
        var run = CliRun.WithInput("secret\n", "hash-password", "--ha1", "1001", "--realm", "example.com");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(Telephony.Host.Security.HashPasswordCommand.Ha1("1001", "example.com", "secret"), run.Out.Trim());
    }

    [Fact]
    public void HashPassword_Pbkdf2_PrintsAPbkdf2Hash()
    {
        var run = CliRun.WithInput("secret\n", "hash-password", "--pbkdf2");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("$pbkdf2-sha256$", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void HashPassword_EmptyPassword_IsInvalidInput_Exit1()
    {
        Assert.Equal(ExitCodes.Invalid, CliRun.WithInput("\n", "hash-password").ExitCode);
    }
}
