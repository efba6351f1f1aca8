using Microsoft.Extensions.Configuration;
using Telephony.Host.Configuration;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// The outbound side of trunks in config/telephony.yaml: the sample binds (local-trunk calls out to 127.0.0.2:5060 over
/// UDP, keeping its inbound allowFrom and DID), and a bad value stops the real server at start-up with the key named.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class OutboundTrunkConfigTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<OutboundTrunkConfigTests>();

    [Fact]
    public void SampleConfig_LocalTrunkHasOutboundTo127002Udp5060_InboundUnchanged()
    {
        (IConfiguration configuration, _) = TelephonyConfiguration.Load([$"--paths:configDirectory={RepoPaths.ConfigDirectory}"]);
        var options = TelephonyConfiguration.BindPbx(configuration);

        Assert.Empty(options.Validate());
        var trunk = Assert.Single(options.Trunks);
        Assert.Equal("local-trunk", trunk.Name);
        Assert.Equal(["127.0.0.2"], trunk.AllowFrom);
        Assert.Equal("1001", trunk.Dids["08001234567"]);
        var outbound = trunk.Outbound;
        Assert.NotNull(outbound);
        Assert.Equal("127.0.0.2", outbound.Host);
        Assert.Equal(5060, outbound.Port);
        Assert.Equal("udp", outbound.Transport);
        Assert.False(outbound.HasCredentials);
        Assert.Equal("", outbound.CallerId);
        Assert.Equal(0, outbound.StripDigits);
        Assert.Equal("", outbound.Prefix);
        Assert.Same(trunk, options.FindTrunk("local-trunk"));
    }

    [Fact]
    public async Task BadOutboundTransport_ServerRefusesToStart_NamingTheKey()
    {
        var env = new Dictionary<string, string?> { ["TELEPHONY_TRUNKS__0__OUTBOUND__TRANSPORT"] = "carrier-pigeon" };
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(
            () => ServerProcess.StartAsync(ports, output, env, TimeSpan.FromSeconds(20)));
        output.WriteLine(refused.Message);
        Assert.Contains("exited with code 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("trunks[0].outbound.transport 'carrier-pigeon' must be udp or tcp", refused.Message, StringComparison.Ordinal);
    }
}
