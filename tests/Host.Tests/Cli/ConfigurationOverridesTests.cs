using Telephony.Host.Cli;

namespace Telephony.Host.Tests.Cli;

/// <summary>Which tokens are configuration overrides (for the server's configuration) and which are for the parser.</summary>
public sealed class ConfigurationOverridesTests
{
    private static readonly HashSet<string> Known = ["--config", "--data", "--flow", "--number"];

    [Theory]
    [InlineData(new[] { "--sip:udpPort=5070" }, new string[0], new[] { "--sip:udpPort=5070" })]
    [InlineData(new[] { "--sip:udpPort", "5070", "serve" }, new[] { "serve" }, new[] { "--sip:udpPort", "5070" })]
    [InlineData(new[] { "--data:directory=/x", "--data", "/y" }, new[] { "--data", "/y" }, new[] { "--data:directory=/x" })]
    [InlineData(new[] { "--urls=http://a:1", "--flow=main" }, new[] { "--flow=main" }, new[] { "--urls=http://a:1" })]
    [InlineData(new[] { "ivr", "graph", "/tmp/a:b.yaml" }, new[] { "ivr", "graph", "/tmp/a:b.yaml" }, new string[0])]
    [InlineData(new[] { "--", "--sip:udpPort=1" }, new[] { "--", "--sip:udpPort=1" }, new string[0])]
    [InlineData(new[] { "--bogus" }, new[] { "--bogus" }, new string[0])]
    public void Split(string[] args, string[] command, string[] overrides)
    {
        var (c, o) = ConfigurationOverrides.Split(args, Known);

        Assert.Equal(command, c);
        Assert.Equal(overrides, o);
    }
}
