using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Sip.Registrar;

public class DigestAuthenticatorTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly DigestAuthenticator _auth;

    public DigestAuthenticatorTests() => _auth = new DigestAuthenticator("pbx.example", Key, _time);

    private static string? Lookup(string user) => user == "1001" ? "secret" : null;

    private string Authorize(string challenge, string password = "secret", string user = "1001", uint nc = 1) =>
        DigestClient.CreateAuthorization(challenge, "REGISTER", "sip:pbx.example", user, password, nonceCount: nc)!;

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Md5Sess)]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Sha256Sess)]
    public void Client_to_server_round_trip(DigestAlgorithm algorithm)
    {
        string challenge = _auth.CreateChallenge(algorithm);
        Assert.Contains("algorithm=" + algorithm.ToToken(), challenge, StringComparison.Ordinal);
        DigestVerifyResult r = _auth.Verify("REGISTER", Authorize(challenge), Lookup);
        Assert.Equal(new DigestVerifyResult(DigestOutcome.Ok, "1001"), r);
        Assert.True(r.IsOk);
    }

    [Fact]
    public void Challenge_has_qop_auth_and_a_base64url_nonce()
    {
        Assert.True(DigestChallenge.TryParse(_auth.CreateChallenge(), out DigestChallenge? ch));
        Assert.Equal("pbx.example", ch!.Realm);
        Assert.Equal(["auth"], ch.QopOptions);
        Assert.Equal(43, ch.Nonce.Length);
        Assert.DoesNotContain('=', ch.Nonce);
        Assert.False(ch.Stale);
        Assert.True(DigestChallenge.TryParse(_auth.CreateChallenge(DigestAlgorithm.Md5, stale: true), out ch));
        Assert.True(ch!.Stale);
    }

    [Fact]
    public void Nonce_within_lifetime_is_ok_and_older_is_stale()
    {
        string challenge = _auth.CreateChallenge();
        _time.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", Authorize(challenge), Lookup).Outcome);
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromMilliseconds(1));
        Assert.Equal(DigestOutcome.Stale, _auth.Verify("REGISTER", Authorize(challenge, nc: 2), Lookup).Outcome);
    }

    [Fact]
    public void Stale_nonce_with_wrong_password_is_wrong_password()
    {
        string challenge = _auth.CreateChallenge();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(DigestOutcome.WrongPassword, _auth.Verify("REGISTER", Authorize(challenge, "nope"), Lookup).Outcome);
    }

    [Fact]
    public void Custom_lifetime_is_honoured()
    {
        var auth = new DigestAuthenticator("pbx.example", Key, _time, TimeSpan.FromSeconds(30));
        string challenge = auth.CreateChallenge();
        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(DigestOutcome.Stale, auth.Verify("REGISTER", Authorize(challenge), Lookup).Outcome);
    }

    [Fact]
    public void Wrong_password_and_unknown_user()
    {
        string challenge = _auth.CreateChallenge();
        Assert.Equal(new DigestVerifyResult(DigestOutcome.WrongPassword, "1001"),
            _auth.Verify("REGISTER", Authorize(challenge, "guess"), Lookup));
        Assert.Equal(new DigestVerifyResult(DigestOutcome.UnknownUser, "9999"),
            _auth.Verify("REGISTER", Authorize(challenge, user: "9999"), Lookup));
    }

    [Fact]
    public void Method_is_part_of_the_digest()
    {
        string auth = Authorize(_auth.CreateChallenge());
        Assert.Equal(DigestOutcome.WrongPassword, _auth.Verify("INVITE", auth, Lookup).Outcome);
    }

    [Fact]
    public void Tampered_nonce_is_invalid()
    {
        DigestChallenge.TryParse(_auth.CreateChallenge(), out DigestChallenge? ch);
        char[] nonce = ch!.Nonce.ToCharArray();
        nonce[3] = nonce[3] == 'A' ? 'B' : 'A';
        string forged = (ch with { Nonce = new string(nonce) }).ToString();
        Assert.Equal(DigestOutcome.InvalidNonce, _auth.Verify("REGISTER", Authorize(forged), Lookup).Outcome);
        string junk = (ch with { Nonce = "not-a-nonce" }).ToString();
        Assert.Equal(DigestOutcome.InvalidNonce, _auth.Verify("REGISTER", Authorize(junk), Lookup).Outcome);
    }

    [Fact]
    public void Nonce_from_another_key_or_realm_is_invalid()
    {
        var other = new DigestAuthenticator("pbx.example", [.. Key.Select(b => (byte)(b ^ 0xff))], _time);
        Assert.Equal(DigestOutcome.InvalidNonce, _auth.Verify("REGISTER", Authorize(other.CreateChallenge()), Lookup).Outcome);
        var otherRealm = new DigestAuthenticator("other.example", Key, _time);
        string ch = otherRealm.CreateChallenge();
        Assert.Equal(DigestOutcome.RealmMismatch, _auth.Verify("REGISTER", Authorize(ch), Lookup).Outcome);
    }

    [Fact]
    public void Replayed_nonce_count_is_stale_and_higher_count_is_ok()
    {
        string challenge = _auth.CreateChallenge();
        string first = Authorize(challenge, nc: 1);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", first, Lookup).Outcome);
        Assert.Equal(DigestOutcome.Stale, _auth.Verify("REGISTER", first, Lookup).Outcome);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", Authorize(challenge, nc: 2), Lookup).Outcome);
    }

    [Fact]
    public void Challenges_in_the_same_millisecond_get_different_nonces_and_each_user_counts_alone()
    {
        // The clock does not move: two users challenged in the same millisecond must not share a nonce, or the
        // second user's nc=1 would be refused as a replay of the first's (seen by bench/ivr-queue.sh at 200 REGISTER/s).
        string a = _auth.CreateChallenge();
        string b = _auth.CreateChallenge();
        Assert.True(DigestChallenge.TryParse(a, out DigestChallenge? ca));
        Assert.True(DigestChallenge.TryParse(b, out DigestChallenge? cb));
        Assert.NotEqual(ca!.Nonce, cb!.Nonce);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", Authorize(a), Lookup).Outcome);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", Authorize(b, password: "other", user: "1002"),
            u => u == "1002" ? "other" : null).Outcome);
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("Digest username=\"1001\"")]
    [InlineData("Digest username=\"1001\", realm=\"pbx.example\", nonce=\"n\", uri=\"sip:x\", response=\"r\", qop=auth")]
    public void Malformed_credentials(string value) =>
        Assert.Equal(DigestOutcome.Malformed, _auth.Verify("REGISTER", value, Lookup).Outcome);

    [Theory]
    [InlineData("algorithm=SHA-512")]
    [InlineData("qop=auth-int, nc=00000001, cnonce=\"c\"")]
    public void Unsupported_algorithm_or_qop(string extra)
    {
        string value = "Digest username=\"1001\", realm=\"pbx.example\", nonce=\"n\", uri=\"sip:x\", response=\"r\", " + extra;
        Assert.Equal(DigestOutcome.UnsupportedAlgorithm, _auth.Verify("REGISTER", value, Lookup).Outcome);
    }

    [Fact]
    public void Client_without_qop_rfc2069_style_is_accepted()
    {
        DigestChallenge.TryParse(_auth.CreateChallenge(), out DigestChallenge? ch);
        string noQop = (ch! with { QopOptions = [] }).ToString();
        string auth = DigestClient.CreateAuthorization(noQop, "REGISTER", "sip:pbx.example", "1001", "secret")!;
        Assert.DoesNotContain("qop", auth, StringComparison.Ordinal);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", auth, Lookup).Outcome);
    }

    [Fact]
    public void Nonce_without_qop_is_good_for_one_request_only()
    {
        DigestChallenge.TryParse(_auth.CreateChallenge(), out DigestChallenge? ch);
        string noQop = (ch! with { QopOptions = [] }).ToString();
        string auth = DigestClient.CreateAuthorization(noQop, "REGISTER", "sip:pbx.example", "1001", "secret")!;
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", auth, Lookup).Outcome);
        Assert.Equal(DigestOutcome.Stale, _auth.Verify("REGISTER", auth, Lookup).Outcome);
    }

    [Fact]
    public void Replayed_nonce_count_is_refused_until_the_nonce_expires_then_stale_anyway()
    {
        string challenge = _auth.CreateChallenge();
        string first = Authorize(challenge, nc: 5);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", first, Lookup).Outcome);
        Assert.Equal(DigestOutcome.Stale, _auth.Verify("REGISTER", Authorize(challenge, nc: 4), Lookup).Outcome);
        Assert.Equal(DigestOutcome.Stale, _auth.Verify("REGISTER", Authorize(challenge, nc: 5), Lookup).Outcome);
        _time.Advance(DigestAuthenticator.DefaultNonceLifetime + TimeSpan.FromSeconds(1));
        Assert.Equal(DigestOutcome.Stale, _auth.Verify("REGISTER", Authorize(challenge, nc: 6), Lookup).Outcome);
    }

    [Theory]
    [InlineData("sip:pbx.example")]
    [InlineData("sip:PBX.example")]
    [InlineData("SIP:pbx.example")]
    public void Digest_uri_equal_to_the_request_uri_is_accepted(string digestUri)
    {
        string auth = DigestClient.CreateAuthorization(_auth.CreateChallenge(), "REGISTER", digestUri, "1001", "secret")!;
        Assert.Equal(DigestOutcome.Ok,
            _auth.Verify("REGISTER", auth, Lookup, SipUri.Parse("sip:pbx.example"), null).Outcome);
    }

    [Theory]
    [InlineData("sip:other.example")]
    [InlineData("sip:pbx.example:5060")]
    [InlineData("sip:1002@pbx.example")]
    [InlineData("sip:pbx.example;transport=tcp")]
    [InlineData("not a uri")]
    public void Digest_uri_other_than_the_request_uri_is_refused_before_the_password(string digestUri)
    {
        string right = DigestClient.CreateAuthorization(_auth.CreateChallenge(), "REGISTER", digestUri, "1001", "secret")!;
        Assert.Equal(new DigestVerifyResult(DigestOutcome.UriMismatch, "1001"),
            _auth.Verify("REGISTER", right, Lookup, SipUri.Parse("sip:pbx.example"), null));
        string unknown = DigestClient.CreateAuthorization(_auth.CreateChallenge(), "REGISTER", digestUri, "9999", "x")!;
        Assert.Equal(DigestOutcome.UriMismatch,
            _auth.Verify("REGISTER", unknown, Lookup, SipUri.Parse("sip:pbx.example"), null).Outcome);
    }

    [Fact]
    public void Nonce_is_bound_to_the_client_address()
    {
        var phone = IPAddress.Parse("198.51.100.10");
        string challenge = _auth.CreateChallenge(client: phone);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", Authorize(challenge), Lookup, null, phone).Outcome);
        Assert.Equal(DigestOutcome.Ok, _auth.Verify("REGISTER", Authorize(challenge, nc: 2), Lookup, null, phone.MapToIPv6()).Outcome);
        Assert.Equal(DigestOutcome.InvalidNonce,
            _auth.Verify("REGISTER", Authorize(challenge, nc: 3), Lookup, null, IPAddress.Parse("198.51.100.11")).Outcome);
        Assert.Equal(DigestOutcome.InvalidNonce, _auth.Verify("REGISTER", Authorize(challenge, nc: 4), Lookup).Outcome);
        Assert.Equal(DigestOutcome.InvalidNonce,
            _auth.Verify("REGISTER", Authorize(_auth.CreateChallenge(), nc: 1), Lookup, null, phone).Outcome);
    }

    [Theory]
    [InlineData("")]
    [InlineData("secret")]
    [InlineData("guess")]
    public void Unknown_user_is_never_accepted_whatever_the_password(string password)
    {
        string challenge = _auth.CreateChallenge();
        Assert.Equal(new DigestVerifyResult(DigestOutcome.UnknownUser, "9999"),
            _auth.Verify("REGISTER", Authorize(challenge, password, "9999"), Lookup));
    }

    [Fact]
    public void Unknown_user_and_wrong_password_get_the_same_outcome_on_every_check_before_the_password()
    {
        DigestChallenge.TryParse(_auth.CreateChallenge(), out DigestChallenge? ch);
        string forged = (ch! with { Nonce = "AAAA" + ch.Nonce[4..] }).ToString();
        Assert.Equal(DigestOutcome.InvalidNonce, _auth.Verify("REGISTER", Authorize(forged, "x", "1001"), Lookup).Outcome);
        Assert.Equal(DigestOutcome.InvalidNonce, _auth.Verify("REGISTER", Authorize(forged, "x", "9999"), Lookup).Outcome);
        string stale = _auth.CreateChallenge();
        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(DigestOutcome.WrongPassword, _auth.Verify("REGISTER", Authorize(stale, "x", "1001"), Lookup).Outcome);
        Assert.Equal(DigestOutcome.UnknownUser, _auth.Verify("REGISTER", Authorize(stale, "x", "9999"), Lookup).Outcome);
    }

    [Fact]
    public void Short_key_is_a_programmer_error() =>
        Assert.Throws<ArgumentException>(() => new DigestAuthenticator("r", new byte[8], _time));
}
