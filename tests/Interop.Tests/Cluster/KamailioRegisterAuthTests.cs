using System.Net;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// Kamailio, the cluster's registrar (deploy/kamailio/kamailio.cfg), challenges REGISTER with the nodes' credentials:
/// its subscriber table is written by <c>Telephony.Host cluster kamailio-subscribers</c> from config/extensions.yaml
/// (HA1 only). The right password registers; a wrong password and an unknown user get the same 401; after 5 failures
/// from one address, or for one user, REGISTER is refused with 403 (for 15 minutes), even with the right password.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class KamailioRegisterAuthTests
{
    private readonly PortBlock ports = PortAllocator.For<KamailioRegisterAuthTests>();

    [KamailioFact]
    public async Task Register_through_kamailio_needs_the_extension_password_and_guessing_is_stopped()
    {
        await using KamailioProcess kamailio = await KamailioProcess.StartAsync(LocalCluster.ProxyAddress, ports.Sip,
            [$"127.0.0.11:{ports.PeerSip(9)}"]);
        var edge = new IPEndPoint(IPAddress.Parse(kamailio.Address), kamailio.Port);

        using var agent = new RawSipClient(edge, ports.PeerSip(0), "127.0.0.1");
        Assert.True(await RegisterAsync(agent, "1001", "pass1001", kamailio) == 200, kamailio.Log.Tail(40));

        using var guesser = new RawSipClient(edge, ports.PeerSip(1), "127.0.0.41");
        string wrong = await FinalAsync(guesser, "1002", "guess1", kamailio);
        string unknown = await FinalAsync(guesser, "9999", "guess2", kamailio);
        Assert.Equal(401, SipText.StatusCode(wrong));
        Assert.Equal(StatusLine(wrong), StatusLine(unknown)); // no way to tell who exists
        for (int i = 3; i <= 5; i++)
        {
            Assert.Equal(401, await RegisterAsync(guesser, "1003", "guess" + i, kamailio));
        }
        // Five failures from 127.0.0.41: refused from there now, even with a right password.
        Assert.Equal(403, await RegisterAsync(guesser, "1004", "pass1004", kamailio));

        // The guessed-at users are not locked for everyone (one failure each from that address)...
        using var other = new RawSipClient(edge, ports.PeerSip(2), "127.0.0.42");
        Assert.Equal(200, await RegisterAsync(other, "1002", "pass1002", kamailio));
        // ...but five failures for one user lock that user, from any address.
        using var spread = new RawSipClient(edge, ports.PeerSip(3), "127.0.0.43");
        for (int i = 0; i < 5; i++)
        {
            using var source = new RawSipClient(edge, ports.PeerSip(4 + i), $"127.0.0.{50 + i}");
            Assert.Equal(401, await RegisterAsync(source, "2001", "nope" + i, kamailio));
        }
        Assert.Equal(403, await RegisterAsync(spread, "2001", "pass2001", kamailio));
        Assert.Contains("too many failed attempts", kamailio.Log.Tail(200), StringComparison.Ordinal);
    }

    private static async Task<int> RegisterAsync(RawSipClient client, string user, string password, KamailioProcess kamailio) =>
        SipText.StatusCode(await FinalAsync(client, user, password, kamailio));

    private static async Task<string> FinalAsync(RawSipClient client, string user, string password, KamailioProcess kamailio)
    {
        List<string> finals = await client.RegisterAsync(user, password, 60, domain: kamailio.Address, timeout: TimeSpan.FromSeconds(5));
        Assert.True(finals.Count > 0, $"REGISTER {user}: no answer from Kamailio\n{kamailio.Log.Tail(30)}");
        return finals[^1];
    }

    private static string StatusLine(string response) => response[..response.IndexOf('\r', StringComparison.Ordinal)];
}
