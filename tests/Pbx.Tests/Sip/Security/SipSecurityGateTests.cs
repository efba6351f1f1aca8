using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Security;

namespace Telephony.Pbx.Tests.Sip.Security;

/// <summary>
/// Bans through the whole server on a fake clock: a guessing source is dropped (or answered 403) before anything else,
/// other sources, the real user and the trunk keep working, calls already up are not cut, spoofed sources cannot be
/// banned with someone else's nonce.
/// </summary>
public sealed class SipSecurityGateTests
{
    private const string Attacker = "203.0.113.66";
    private const string Other = "203.0.113.77";
    private const string Phone = "198.51.100.10";

    private static async Task GuessAsync(SecurityTestServer s, string source, int times, string user = "1001")
    {
        for (var i = 0; i < times; i++)
        {
            Assert.Equal(403, (await s.RegisterWithPasswordAsync(user, source, "guess" + i))?.StatusCode);
        }
    }

    [Fact]
    public async Task Fifth_wrong_password_bans_the_source_which_is_then_dropped_while_others_work()
    {
        await using var s = new SecurityTestServer();
        Assert.Equal(200, (await s.RegisterWithPasswordAsync("1001", Phone, "pass1001"))?.StatusCode);
        await GuessAsync(s, Attacker, 5);

        var open = s.Server.Stack.Transactions.ActiveTransactions;
        Assert.Null(await s.SendAsync(s.Register("1001", Attacker), Attacker));
        Assert.Null(await s.SendAsync(s.Options(Attacker), Attacker));
        Assert.Null(await s.SendAsync(s.Invite("1001", "9000", Attacker), Attacker));
        Assert.Equal(open, s.Server.Stack.Transactions.ActiveTransactions); // dropped transactions end at once
        s.Time.Advance(TimeSpan.FromSeconds(1)); // no late 100 Trying for the dropped INVITE
        Assert.DoesNotContain(s.Transport.Sent, m => m.Remote.EndPoint.Address.ToString() == Attacker && m.Message is SipResponse
        {
            StatusCode: 100,
        });

        Assert.Equal(401, (await s.SendAsync(s.Register("1002", Other), Other))?.StatusCode);
        Assert.Equal(200, (await s.RegisterWithPasswordAsync("1001", Phone, "pass1001"))?.StatusCode);
        var ban = Assert.Single(s.Server.SipBans.Current);
        Assert.Equal(Attacker, ban.Address.ToString());
        Assert.Equal(3, ban.RequestsRefused);
        Assert.Equal(3, s.Server.SipBans.Counters.RequestsDropped);
    }

    [Fact]
    public async Task Guessing_over_tls_bans_the_address_on_every_transport()
    {
        await using var s = new SecurityTestServer { SourceProtocol = Telephony.Pbx.Sip.Transport.SipProtocol.Tls };
        Assert.Equal(200, (await s.RegisterWithPasswordAsync("1001", Phone, "pass1001"))?.StatusCode);
        await GuessAsync(s, Attacker, 5);

        Assert.Null(await s.SendAsync(s.Register("1001", Attacker), Attacker));
        s.SourceProtocol = Telephony.Pbx.Sip.Transport.SipProtocol.Udp;
        Assert.Null(await s.SendAsync(s.Register("1001", Attacker), Attacker)); // the ban is the address's, not the connection's
        s.SourceProtocol = Telephony.Pbx.Sip.Transport.SipProtocol.Tls;
        Assert.Equal(200, (await s.RegisterWithPasswordAsync("1001", Phone, "pass1001"))?.StatusCode);
        Assert.Equal(Attacker, Assert.Single(s.Server.SipBans.Current).Address.ToString());
    }

    [Fact]
    public async Task Ban_action_403_answers_forbidden()
    {
        await using var s = new SecurityTestServer(o => o.BanAction = "403");
        await GuessAsync(s, Attacker, 5);
        var r = await s.SendAsync(s.Register("1001", Attacker), Attacker);
        Assert.Equal(403, r?.StatusCode);
        Assert.Null(r!.Headers.Get(HeaderName.WwwAuthenticate));
        Assert.Equal(1, s.Server.SipBans.Counters.RequestsForbidden);
    }

    [Fact]
    public async Task Ban_ends_after_60_s_and_the_next_one_lasts_120_s()
    {
        await using var s = new SecurityTestServer();
        await GuessAsync(s, Attacker, 5);
        s.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Null(await s.SendAsync(s.Register("1001", Attacker), Attacker));
        s.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(401, (await s.SendAsync(s.Register("1001", Attacker), Attacker))?.StatusCode);
        await GuessAsync(s, Attacker, 5);
        Assert.Equal(TimeSpan.FromSeconds(120), s.Server.SipBans.Current.Single().Duration);
    }

    [Fact]
    public async Task Lifted_source_is_answered_again()
    {
        await using var s = new SecurityTestServer();
        await GuessAsync(s, Attacker, 5);
        Assert.True(s.Server.SipBans.Lift(System.Net.IPAddress.Parse(Attacker)));
        Assert.Equal(401, (await s.SendAsync(s.Register("1001", Attacker), Attacker))?.StatusCode);
    }

    [Fact]
    public async Task Unknown_users_ban_exactly_like_known_ones()
    {
        await using var s = new SecurityTestServer();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(403, (await s.RegisterWithPasswordAsync("77" + i, Attacker, "guess"))?.StatusCode);
        }
        Assert.Null(await s.SendAsync(s.Register("1001", Attacker), Attacker));
    }

    [Fact]
    public async Task Failed_invites_count_too()
    {
        await using var s = new SecurityTestServer();
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(403, (await s.InviteWithPasswordAsync("1001", "9000", Attacker, "guess"))?.StatusCode);
        }
        Assert.Null(await s.SendAsync(s.Invite("1001", "9000", Attacker), Attacker));
    }

    [Fact]
    public async Task In_dialog_requests_from_a_banned_source_still_reach_their_dialog()
    {
        await using var s = new SecurityTestServer();
        await GuessAsync(s, Attacker, 5);
        Assert.Equal(481, (await s.SendAsync(s.Options(Attacker, toTag: "t1"), Attacker))?.StatusCode);
    }

    [Fact]
    public async Task Register_with_a_to_tag_does_not_slip_past_the_ban()
    {
        await using var s = new SecurityTestServer();
        await GuessAsync(s, Attacker, 5);
        var sneaky = s.Register("1001", Attacker);
        sneaky.Headers.Set(HeaderName.To, "<sip:1001@192.0.2.1>;tag=fake");
        Assert.Null(await s.SendAsync(sneaky, Attacker));
    }

    [Fact]
    public async Task Trunk_address_and_trusted_networks_are_never_banned()
    {
        await using var s = new SecurityTestServer(o => o.TrustedNetworks = ["203.0.113.0/24"]);
        await GuessAsync(s, "127.0.0.2", 10);
        await GuessAsync(s, Attacker, 10);
        Assert.Empty(s.Server.SipBans.Current);
        Assert.Equal(20, s.Server.SipBans.Counters.AuthFailures);
    }

    [Fact]
    public async Task Nonce_fetched_from_one_address_does_not_work_from_another_so_spoofed_failures_are_not_counted()
    {
        await using var s = new SecurityTestServer();
        var callId = s.NewCallId();
        var first = s.Register("1001", Attacker, callId: callId);
        var challenge = await s.SendAsync(first, Attacker);
        for (var i = 0; i < 10; i++)
        {
            // The attacker forges requests "from" the phone's address with its own nonce and a wrong password.
            var credentials = SecurityTestServer.Answer(challenge!, first, "1001", "guess" + i);
            var forged = s.Register("1001", Phone, credentials, callId, (uint)(2 + i));
            var r = await s.SendAsync(forged, Phone);
            Assert.Equal(401, r?.StatusCode);
            Assert.Contains("stale=true", r!.Headers.Get(HeaderName.WwwAuthenticate), StringComparison.Ordinal);
        }
        Assert.Empty(s.Server.SipBans.Current);
        Assert.Equal(0, s.Server.SipBans.Counters.AuthFailures);
        // Even the right password does not work with a nonce issued to another address.
        var stolen = s.Register("1001", Phone, SecurityTestServer.Answer(challenge!, first, "1001", "pass1001"), callId, 20);
        Assert.Equal(401, (await s.SendAsync(stolen, Phone))?.StatusCode);
    }

    [Fact]
    public async Task Digest_uri_other_than_the_request_uri_gets_400_and_is_not_counted_as_a_guess()
    {
        await using var s = new SecurityTestServer();
        for (var i = 0; i < 6; i++)
        {
            var callId = s.NewCallId();
            var first = s.Invite("1001", "9000", Attacker, callId: callId);
            var challenge = await s.SendAsync(first, Attacker);
            var credentials = SecurityTestServer.Answer(challenge!, first, "1001", "pass1001", uri: "sip:1002@192.0.2.1");
            var r = await s.SendAsync(s.Invite("1001", "9000", Attacker, credentials, callId, 2), Attacker);
            Assert.Equal(400, r?.StatusCode);
            Assert.Equal("Digest uri does not match the Request-URI", r!.ReasonPhrase);
        }
        Assert.Empty(s.Server.SipBans.Current);
    }

    [Fact]
    public async Task Wrong_password_403_reason_is_the_documented_one()
    {
        await using var s = new SecurityTestServer();
        Assert.Equal(SipAuthenticator.ForbiddenReason, (await s.RegisterWithPasswordAsync("1001", Attacker, "x"))?.ReasonPhrase);
    }
}
