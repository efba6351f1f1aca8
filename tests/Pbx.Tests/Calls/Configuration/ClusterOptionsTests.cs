using System.Net;
using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Pbx.Tests.Calls.Configuration;

public sealed class ClusterOptionsTests
{
    [Theory]
    [InlineData("127.0.0.10", "127.0.0.10:5060")]
    [InlineData("127.0.0.10:5070", "127.0.0.10:5070")]
    [InlineData(" 10.0.0.1:5060 ", "10.0.0.1:5060")]
    [InlineData("::1", "[::1]:5060")]
    [InlineData("[::1]", "[::1]:5060")]
    [InlineData("[::1]:5080", "[::1]:5080")]
    public void Proxy_parses_an_address_with_an_optional_port(string text, string expected)
    {
        Assert.True(ClusterOptions.TryParseProxy(text, out IPEndPoint? endpoint));
        Assert.Equal(expected, ClusterOptions.HostPort(endpoint!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("kamailio.example.com")]
    [InlineData("127.0.0.10:")]
    [InlineData("127.0.0.10:0")]
    [InlineData("127.0.0.10:99999")]
    [InlineData("sip:127.0.0.10")]
    public void Proxy_that_is_not_an_address_does_not_parse(string text) =>
        Assert.False(ClusterOptions.TryParseProxy(text, out _));

    [Fact]
    public void Off_by_default_no_proxy_and_the_host_name_as_node_id()
    {
        var options = new PbxOptions();
        Assert.Null(options.Cluster.ProxyEndPoint);
        Assert.Equal(Environment.MachineName, options.Cluster.EffectiveNodeId);
        Assert.DoesNotContain(options.Validate(), p => p.StartsWith("cluster.", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_proxy_or_node_id_is_reported_by_field()
    {
        var options = new PbxOptions { Cluster = new ClusterOptions { Proxy = "kamailio", NodeId = "node a" } };
        var problems = options.Validate();
        Assert.Contains(problems, p => p.StartsWith("cluster.proxy 'kamailio'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("cluster.nodeId 'node a'", StringComparison.Ordinal));
    }
}
