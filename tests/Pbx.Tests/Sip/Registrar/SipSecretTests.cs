using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Sip.Registrar;

/// <summary>A SIP secret stored as its digest HA1 (RFC 7616 §3.4.2) instead of the password.</summary>
public sealed class SipSecretTests
{
    private static readonly byte[] Key = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));

    private static string Ha1(DigestAlgorithm algorithm, string realm = "pbx.example") =>
        DigestAlgorithms.Hash(algorithm, $"1001:{realm}:secret");

    private string Authorize(DigestAuthenticator auth, DigestAlgorithm algorithm) =>
        DigestClient.CreateAuthorization(auth.CreateChallenge(algorithm), "REGISTER", "sip:pbx.example", "1001", "secret")!;

    [Theory]
    [InlineData(DigestAlgorithm.Md5)]
    [InlineData(DigestAlgorithm.Md5Sess)]
    [InlineData(DigestAlgorithm.Sha256)]
    [InlineData(DigestAlgorithm.Sha256Sess)]
    public void Stored_ha1_verifies_like_the_password(DigestAlgorithm algorithm)
    {
        var auth = new DigestAuthenticator("pbx.example", Key, _time);
        var secret = new SipSecret(null, Ha1(DigestAlgorithm.Md5), Ha1(DigestAlgorithm.Sha256).ToUpperInvariant());
        var result = auth.Verify("REGISTER", Authorize(auth, algorithm), u => u == "1001" ? secret : null, null, null);
        Assert.Equal(DigestOutcome.Ok, result.Outcome);
    }

    [Fact]
    public void Ha1_of_another_realm_is_a_wrong_password()
    {
        var auth = new DigestAuthenticator("pbx.example", Key, _time);
        var secret = new SipSecret(null, Ha1(DigestAlgorithm.Md5, realm: "old-realm"));
        var result = auth.Verify("REGISTER", Authorize(auth, DigestAlgorithm.Md5), u => u == "1001" ? secret : null, null, null);
        Assert.Equal(DigestOutcome.WrongPassword, result.Outcome);
    }

    [Fact]
    public void Md5_ha1_cannot_answer_sha256_credentials()
    {
        var auth = new DigestAuthenticator("pbx.example", Key, _time);
        var secret = new SipSecret(null, Ha1(DigestAlgorithm.Md5));
        var result = auth.Verify("REGISTER", Authorize(auth, DigestAlgorithm.Sha256), u => u == "1001" ? secret : null, null, null);
        Assert.Equal(DigestOutcome.WrongPassword, result.Outcome);
    }

    [Fact]
    public void Password_wins_over_a_stored_ha1()
    {
        Assert.Equal(Ha1(DigestAlgorithm.Md5), new SipSecret("secret", "ffffffffffffffffffffffffffffffff").Ha1(DigestAlgorithm.Md5, "1001", "pbx.example"));
    }
}
