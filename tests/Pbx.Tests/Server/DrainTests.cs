using System.Net;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Tests.Sip.Security;

namespace Telephony.Pbx.Tests.Server;

/// <summary>
/// A node behind a proxy: OPTIONS 200 while it takes calls and 503 while draining (Kamailio's probe takes it out of
/// rotation); a new INVITE while draining gets 503 + Retry-After (Kamailio's failure_route tries the next node); and a
/// cluster node rings someone not registered locally through the proxy.
/// </summary>
public sealed class DrainTests
{
    private const string Trunk = "127.0.0.2";
    private const string ProxyAddress = "127.0.0.10";

    [Fact]
    public async Task Options_is_200_while_taking_calls_and_503_while_draining()
    {
        await using var server = new SecurityTestServer();
        Assert.Equal(200, (await server.SendAsync(server.Options(ProxyAddress), ProxyAddress))?.StatusCode);

        Assert.True(server.Server.Calls.Drain());
        Assert.False(server.Server.Calls.Drain()); // already draining
        Assert.True(server.Server.Calls.IsDraining);
        Assert.Equal(503, (await server.SendAsync(server.Options(ProxyAddress), ProxyAddress))?.StatusCode);

        Assert.True(server.Server.Calls.Resume());
        Assert.Equal(200, (await server.SendAsync(server.Options(ProxyAddress), ProxyAddress))?.StatusCode);
    }

    [Fact]
    public async Task New_invite_while_draining_gets_503_with_retry_after_and_none_after_resume()
    {
        await using var server = new SecurityTestServer();
        server.Server.Calls.Drain();
        SipResponse? refused = await server.SendAsync(server.Invite("0611", "9000", Trunk), Trunk);
        Assert.Equal(503, refused?.StatusCode);
        Assert.Equal("30", refused!.Headers.Get(HeaderName.RetryAfter));
        Assert.Equal(0, server.Server.Calls.ActiveCalls);

        server.Server.Calls.Resume();
        SipResponse? answered = await server.SendAsync(server.Invite("0611", "9000", Trunk), Trunk);
        Assert.NotEqual(503, answered?.StatusCode ?? 0);
    }

    [Fact]
    public async Task Cluster_node_invites_an_extension_registered_elsewhere_through_the_proxy()
    {
        await using var server = new SecurityTestServer(configureOptions: o => o.Cluster = new ClusterOptions { NodeId = "node-a", Proxy = ProxyAddress + ":5070" });
        const string phone = "10.0.0.5";
        Assert.Equal(200, (await server.RegisterWithPasswordAsync("1001", phone, "pass1001"))?.StatusCode);
        int before = server.Transport.Sent.Count;
        await server.InviteWithPasswordAsync("1001", "1002", phone, "pass1001");

        var invite = await WaitForInviteAsync(server, before);
        Assert.Equal("sip:1002@127.0.0.10:5070", invite.Message.RequestUri.ToString());
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ProxyAddress), 5070), invite.Remote.EndPoint);
    }

    [Fact]
    public async Task Single_server_answers_480_for_an_extension_not_registered_here()
    {
        await using var server = new SecurityTestServer();
        const string phone = "10.0.0.5";
        Assert.Equal(200, (await server.RegisterWithPasswordAsync("1001", phone, "pass1001"))?.StatusCode);
        int before = server.Transport.Sent.Count;
        await server.InviteWithPasswordAsync("1001", "1002", phone, "pass1001");
        var response = await WaitForFinalAsync(server, before);
        Assert.Equal(480, response.StatusCode);
        Assert.DoesNotContain(server.Transport.Sent.Skip(before), s => s.Message is SipRequest { Method: SipMethod.Invite });
    }

    // The call starts on its executor after the INVITE is accepted: poll the recorded traffic (bounded, no clock).
    private static async Task<(SipRequest Message, Telephony.Pbx.Sip.Transport.SipEndPoint Remote)> WaitForInviteAsync(SecurityTestServer server, int from)
    {
        for (int i = 0; i < 500; i++)
        {
            foreach (var (message, remote) in server.Transport.Sent.Skip(from))
            {
                if (message is SipRequest { Method: SipMethod.Invite } invite)
                {
                    return (invite, remote);
                }
            }
            await Task.Yield();
            await Task.Delay(1);
        }
        throw new Xunit.Sdk.XunitException("no INVITE left the node");
    }

    private static async Task<SipResponse> WaitForFinalAsync(SecurityTestServer server, int from)
    {
        for (int i = 0; i < 500; i++)
        {
            if (server.Transport.Sent.Skip(from).Select(s => s.Message).OfType<SipResponse>().LastOrDefault(r => r.StatusCode >= 300 && r.StatusCode != 407) is { } r)
            {
                return r;
            }
            await Task.Delay(1);
        }
        throw new Xunit.Sdk.XunitException("no final response");
    }
}
