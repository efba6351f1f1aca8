using System.Text;
using Telephony.Recording.Alerts;

namespace Telephony.Recording.Tests.Alerts;

public class WebhookSignatureTests
{
    [Fact]
    public void Matches_the_RFC_4231_test_case_2_vector()
    {
        // RFC 4231 §4.3: key "Jefe", data "what do ya want for nothing?", HMAC-SHA-256.
        string header = WebhookSignature.Compute("what do ya want for nothing?"u8, "Jefe");
        Assert.Equal("sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", header);
    }

    [Fact]
    public void Verify_accepts_the_signature_and_rejects_tampering()
    {
        byte[] body = Encoding.UTF8.GetBytes("""{"kind":"missed_call","caller":"+15550001"}""");
        string header = WebhookSignature.Compute(body, "s3cret");
        Assert.True(WebhookSignature.Verify(body, "s3cret", header));
        Assert.True(WebhookSignature.Verify(body, "s3cret", header.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal)));
        Assert.False(WebhookSignature.Verify(body, "other", header));
        body[^2] ^= 1;
        Assert.False(WebhookSignature.Verify(body, "s3cret", header));
        Assert.False(WebhookSignature.Verify(body, "s3cret", null));
        Assert.False(WebhookSignature.Verify(body, "s3cret", "md5=00"));
    }
}
