using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Telephony.Recording.Alerts;

namespace Telephony.Recording.Tests.Alerts;

public class WebhookSignatureTests
{
    private const long Sent = 1_700_000_000;
    private static readonly DateTimeOffset SentAt = DateTimeOffset.FromUnixTimeSeconds(Sent);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"kind":"missed_call","caller":"+15550001"}""");

    [Fact]
    public void The_HMAC_matches_the_RFC_4231_test_case_2_vector()
    {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?", HMAC-SHA-256 (the primitive we sign with).
        Assert.Equal("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            Convert.ToHexStringLower(HMACSHA256.HashData("Jefe"u8, "what do ya want for nothing?"u8)));
    }

    [Fact]
    public void Signs_timestamp_dot_body()
    {
        // printf '1700000000.{"kind":"missed_call","caller":"+15550001"}' | openssl dgst -sha256 -hmac s3cret
        Assert.Equal("sha256=79c8812615830247d02d6e8f5370e30f5561f48240c48013f2977a93fc31172f",
            WebhookSignature.Compute(Sent, Body, "s3cret"));
        Assert.Equal(Encoding.UTF8.GetBytes("1700000000." + Encoding.UTF8.GetString(Body)), WebhookSignature.SignedPayload(Sent, Body));
    }

    [Fact]
    public void Verify_accepts_the_signature_and_rejects_tampering()
    {
        string stamp = Sent.ToString(CultureInfo.InvariantCulture);
        string header = WebhookSignature.Compute(Sent, Body, "s3cret");
        TimeSpan tolerance = WebhookSignature.DefaultTolerance;
        Assert.True(WebhookSignature.Verify(Body, "s3cret", header, stamp, SentAt, tolerance));
        Assert.True(WebhookSignature.Verify(Body, "s3cret", header.ToUpperInvariant(), stamp, SentAt, tolerance));
        Assert.False(WebhookSignature.Verify(Body, "other", header, stamp, SentAt, tolerance));
        Assert.False(WebhookSignature.Verify(Body, "s3cret", null, stamp, SentAt, tolerance));
        Assert.False(WebhookSignature.Verify(Body, "s3cret", "md5=00", stamp, SentAt, tolerance));
        Assert.False(WebhookSignature.Verify(Body, "s3cret", header, null, SentAt, tolerance));
        Assert.False(WebhookSignature.Verify(Body, "s3cret", header, "-1", SentAt, tolerance));
        byte[] tampered = (byte[])Body.Clone();
        tampered[^2] ^= 1;
        Assert.False(WebhookSignature.Verify(tampered, "s3cret", header, stamp, SentAt, tolerance));
    }

    [Fact]
    public void A_replayed_request_with_a_new_timestamp_fails_because_the_timestamp_is_signed()
    {
        string header = WebhookSignature.Compute(Sent, Body, "s3cret");
        DateTimeOffset later = SentAt.AddHours(1);
        string fresh = later.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.False(WebhookSignature.Verify(Body, "s3cret", header, fresh, later, WebhookSignature.DefaultTolerance));
    }

    [Fact]
    public void A_replayed_request_with_its_old_timestamp_is_refused_after_the_tolerance()
    {
        string stamp = Sent.ToString(CultureInfo.InvariantCulture);
        string header = WebhookSignature.Compute(Sent, Body, "s3cret");
        TimeSpan tolerance = WebhookSignature.DefaultTolerance;
        Assert.True(WebhookSignature.Verify(Body, "s3cret", header, stamp, SentAt + tolerance, tolerance));
        Assert.False(WebhookSignature.Verify(Body, "s3cret", header, stamp, SentAt + tolerance + TimeSpan.FromSeconds(1), tolerance));
        Assert.False(WebhookSignature.Verify(Body, "s3cret", header, stamp, SentAt - tolerance - TimeSpan.FromSeconds(1), tolerance));
    }
}
