using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Sip.Registrar;

/// <summary>Published Digest examples: RFC 2617 §3.5 and RFC 7616 §3.9.1.</summary>
public class DigestVectorTests
{
    private const string Rfc2617Challenge =
        "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", " +
        "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    private const string Rfc7616Nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
    private const string Rfc7616Opaque = "FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS";
    private const string Rfc7616Cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";

    [Fact]
    public void Rfc2617_3_5_response()
    {
        Assert.Equal("6629fae49393a05397450978507c4ef1", DigestAlgorithms.ComputeResponse(
            DigestAlgorithm.Md5, "Mufasa", "testrealm@host.com", "Circle Of Life", "GET", "/dir/index.html",
            "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", "0a4f113b"));
    }

    [Fact]
    public void Rfc2617_3_5_client_builds_the_authorization_header()
    {
        string? auth = DigestClient.CreateAuthorization(
            Rfc2617Challenge, "GET", "/dir/index.html", "Mufasa", "Circle Of Life", cnonce: "0a4f113b");
        Assert.True(DigestCredentials.TryParse(auth, out DigestCredentials? c));
        Assert.Equal("6629fae49393a05397450978507c4ef1", c!.Response);
        Assert.Equal(("auth", "00000001", "0a4f113b"), (c.Qop, c.NonceCount, c.Cnonce));
        Assert.Equal("5ccc069c403ebaf9f0171e9517f40e41", c.Opaque);
    }

    [Theory]
    [InlineData("MD5", "8ca523f5e9506fed4657c9700eebdbec")]
    [InlineData("SHA-256", "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1")]
    public void Rfc7616_3_9_1_mufasa(string algorithm, string expected)
    {
        string challenge = $"Digest realm=\"http-auth@example.org\", qop=\"auth, auth-int\", algorithm={algorithm}, " +
            $"nonce=\"{Rfc7616Nonce}\", opaque=\"{Rfc7616Opaque}\"";
        string? auth = DigestClient.CreateAuthorization(
            challenge, "GET", "/dir/index.html", "Mufasa", "Circle of Life", cnonce: Rfc7616Cnonce);
        Assert.True(DigestCredentials.TryParse(auth, out DigestCredentials? c));
        Assert.Equal(expected, c!.Response);
        Assert.Equal(algorithm, c.AlgorithmName);
        Assert.Equal(Rfc7616Opaque, c.Opaque);
    }

    [Fact]
    public void Rfc2617_challenge_parses()
    {
        Assert.True(DigestChallenge.TryParse(Rfc2617Challenge, out DigestChallenge? ch));
        Assert.Equal("testrealm@host.com", ch!.Realm);
        Assert.Equal(["auth", "auth-int"], ch.QopOptions);
        Assert.Null(ch.AlgorithmName);
        Assert.True(ch.TryGetAlgorithm(out DigestAlgorithm alg));
        Assert.Equal(DigestAlgorithm.Md5, alg);
        Assert.False(ch.Stale);
    }
}
