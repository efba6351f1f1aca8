using System.Security.Cryptography;
using System.Text;

namespace Telephony.Recording.Alerts;

/// <summary>
/// Signs webhook deliveries: <c>X-Telephony-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 (RFC 2104, FIPS 198-1)
/// of the raw request body with the webhook's shared secret. Every delivery also carries
/// <c>X-Telephony-Timestamp</c> (Unix seconds when sent) and <c>Idempotency-Key</c> (same on every retry).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Telephony-Signature";
    public const string TimestampHeader = "X-Telephony-Timestamp";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const string Prefix = "sha256=";

    /// <summary>Header value <c>sha256=&lt;lower-case hex&gt;</c> for <paramref name="body"/>.</summary>
    public static string Compute(ReadOnlySpan<byte> body, ReadOnlySpan<byte> secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body));

    /// <summary>Same, with the secret as UTF-8 text.</summary>
    public static string Compute(ReadOnlySpan<byte> body, string secret) => Compute(body, Encoding.UTF8.GetBytes(secret));

    /// <summary>Checks a received header value in constant time (for receivers and tests).</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? headerValue)
    {
        if (headerValue is null || !headerValue.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        byte[] expected = Encoding.ASCII.GetBytes(Compute(body, secret));
        byte[] actual = Encoding.ASCII.GetBytes(headerValue.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }
}
