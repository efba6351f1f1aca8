using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Sip.Registrar;

public class DigestParsingTests
{
    [Fact]
    public void Challenge_round_trips_with_escapes_and_stale()
    {
        var ch = new DigestChallenge
        {
            Realm = "a \"quoted\" \\ realm",
            Nonce = "n1",
            Opaque = "op",
            AlgorithmName = "SHA-256",
            QopOptions = ["auth"],
            Stale = true,
        };
        string text = ch.ToString();
        Assert.Equal("Digest realm=\"a \\\"quoted\\\" \\\\ realm\", nonce=\"n1\", opaque=\"op\", stale=true, algorithm=SHA-256, qop=\"auth\"", text);
        Assert.True(DigestChallenge.TryParse(text, out DigestChallenge? back));
        Assert.Equal(ch.Realm, back!.Realm);
        Assert.True(back.Stale);
        Assert.Equal(["auth"], back.QopOptions);
    }

    [Fact]
    public void Names_are_case_insensitive_and_order_is_free()
    {
        string value = "digest NONCE=\"n\" ,  Response=\"abc\",uri=\"sip:x@y\", REALM=\"r\", UserName=\"bob\", QOP=auth, NC=00000001, CNonce=\"c\"";
        Assert.True(DigestCredentials.TryParse(value, out DigestCredentials? c));
        Assert.Equal(("bob", "r", "n", "sip:x@y", "abc"), (c!.UserName, c.Realm, c.Nonce, c.Uri, c.Response));
        Assert.Equal(("auth", "00000001", "c"), (c.Qop, c.NonceCount, c.Cnonce));
    }

    [Fact]
    public void Credentials_round_trip()
    {
        var c = new DigestCredentials
        {
            UserName = "al\"ice", Realm = "r", Nonce = "n", Uri = "sip:r", Response = "00",
            AlgorithmName = "MD5", Cnonce = "cn", Opaque = "o", Qop = "auth", NonceCount = "0000000a",
        };
        Assert.True(DigestCredentials.TryParse(c.ToString(), out DigestCredentials? back));
        Assert.Equal(c, back);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Basic realm=\"r\"")]
    [InlineData("Digest")]
    [InlineData("Digest realm=\"r\"")]
    [InlineData("Digest realm=\"r\", nonce=\"unterminated")]
    [InlineData("Digest realm=\"r\" nonce=\"n\"")]
    [InlineData("Digest realm=\"r\", realm=\"s\", nonce=\"n\"")]
    [InlineData("Digest realm=, nonce=\"n\"")]
    [InlineData("Digest =\"r\", nonce=\"n\"")]
    [InlineData("Digestrealm=\"r\", nonce=\"n\"")]
    [InlineData("Digest realm=\"r\", nonce=\"n\\")]
    public void Malformed_challenges_are_rejected(string? value) =>
        Assert.False(DigestChallenge.TryParse(value, out _));

    [Fact]
    public void Too_long_value_is_rejected()
    {
        string value = "Digest realm=\"r\", nonce=\"" + new string('n', 5000) + "\"";
        Assert.False(DigestChallenge.TryParse(value, out _));
    }

    [Fact]
    public void Too_many_parameters_are_rejected()
    {
        string extra = string.Concat(Enumerable.Range(0, 40).Select(i => $", x{i}=y"));
        Assert.False(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\"" + extra, out _));
    }

    [Fact]
    public void Quoted_algorithm_and_stale_are_understood()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", algorithm=\"md5\", stale=\"TRUE\"", out DigestChallenge? ch));
        Assert.True(ch!.TryGetAlgorithm(out DigestAlgorithm alg));
        Assert.Equal(DigestAlgorithm.Md5, alg);
        Assert.True(ch.Stale);
    }

    [Fact]
    public void Unknown_algorithm_is_kept_but_not_usable()
    {
        Assert.True(DigestChallenge.TryParse("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-512-256", out DigestChallenge? ch));
        Assert.False(ch!.TryGetAlgorithm(out _));
        Assert.Null(DigestClient.CreateAuthorization(ch.ToString(), "REGISTER", "sip:r", "u", "p"));
    }

    [Fact]
    public void Seeded_garbage_never_throws()
    {
        var random = new Random(7616);
        const string alphabet = "Digest realm=\"\\, nonce qop auth";
        for (int i = 0; i < 3000; i++)
        {
            var chars = new char[random.Next(0, 80)];
            for (int k = 0; k < chars.Length; k++)
            {
                chars[k] = alphabet[random.Next(alphabet.Length)];
            }

            string s = new(chars);
            DigestChallenge.TryParse(s, out _);
            DigestCredentials.TryParse(s, out _);
        }
    }
}
