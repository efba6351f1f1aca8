using Telephony.Host.Cli;

namespace Telephony.Host.Tests.Cli;

/// <summary>From a settings problem to its key, and from the key to the YAML line or the override that set it.</summary>
public sealed class ConfigKeyLocatorTests
{
    [Theory]
    [InlineData("sip.udpPort 70000 is not a port number", "sip:udpPort")]
    [InlineData("rtp.portMin/portMax 1-2 must be a range", "rtp:portMin")]
    [InlineData("extensions[2] (1003) has no password (or ha1)", "extensions:2")]
    [InlineData("trunks[0].outbound.transport 'x' must be udp or tcp", "trunks:0:outbound:transport")]
    [InlineData("webhooks: entry 'a' needs a name", "webhooks")]
    [InlineData("Failed to convert configuration value 'x' at 'sip:TcpPort' to type 'System.Int32'.", "sip:tcpPort")]
    [InlineData("  indented text", null)]
    public void KeyOf(string problem, string? key) => Assert.Equal(key, ConfigKeyLocator.KeyOf(problem));

    [Theory]
    [InlineData("Failed to convert configuration value 'x' at 'trunks:0:Outbound:Port' to type 'System.Int32'.",
        "trunks[0].outbound.port 'x' must be a whole number")]
    [InlineData("Failed to convert configuration value 'maybe' at 'recording:Enabled' to type 'System.Boolean'.",
        "recording.enabled 'maybe' must be true or false")]
    [InlineData("sip.udpPort 1 is fine", "sip.udpPort 1 is fine")]
    public void Readable(string problem, string expected) => Assert.Equal(expected, ConfigKeyLocator.Readable(problem));

    [Fact]
    public void Describe_PrefersTheOverride_ThenTheDeepestKeyInTheFile()
    {
        var file = Path.Combine(Path.GetTempPath(), "telephony-locator-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(file, "sip:\n  udpPort: 1\nextensions:\n  - number: \"1001\"\n    password: x\n");
        try
        {
            var locator = new ConfigKeyLocator([file],
                new Dictionary<string, string> { ["TELEPHONY_RTP__PORTMIN"] = "1", ["PATH"] = "/bin" }, ["--sip:tcpPort=-1"]);

            Assert.Equal($"{file}:2:3: sip.udpPort 1 bad", locator.Describe("sip.udpPort 1 bad", "t.yaml"));
            Assert.Equal($"{file}:4:5: extensions[0].ha1 bad", locator.Describe("extensions[0].ha1 bad", "t.yaml"));
            Assert.Equal("environment variable TELEPHONY_RTP__PORTMIN: rtp.portMin 1 bad", locator.Describe("rtp.portMin 1 bad", "t.yaml"));
            Assert.Equal("command line --sip:tcpPort: sip.tcpPort -1 bad", locator.Describe("sip.tcpPort -1 bad", "t.yaml"));
            Assert.Equal("t.yaml: http.port x bad (not set in the file: the built-in default)", locator.Describe("http.port x bad", "t.yaml"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void DescribeForServer_FindsTheServersOwnFiles_FromItsArguments()
    {
        using var copy = new SampleConfigCopy();
        var line = copy.Replace("telephony.yaml", "udpPort: 5060", "udpPort: 70000");

        var described = ConfigKeyLocator.DescribeForServer(["--paths:configDirectory=" + copy.Config],
            "sip.udpPort 70000 is not a port number");

        Assert.Equal($"{copy.PathOf("telephony.yaml")}:{line}:3: sip.udpPort 70000 is not a port number", described);
    }

    [Fact]
    public void DescribeForServer_UnreadableFiles_ReturnsTheProblemAsItIs()
    {
        var missing = Path.Combine(Path.GetTempPath(), "telephony-missing-" + Guid.NewGuid().ToString("N"));

        Assert.Equal("sip.udpPort 1 bad", ConfigKeyLocator.DescribeForServer(["--paths:configDirectory=" + missing], "sip.udpPort 1 bad"));
    }
}
