using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Telephony.Recording.Alerts;

/// <summary>
/// Signs webhook deliveries: <c>X-Telephony-Signature: sha256=&lt;hex&gt;</c>, the HMAC-SHA256 (RFC 2104, FIPS 198-1)
/// with the webhook's shared secret of <c>&lt;timestamp&gt;.&lt;raw body&gt;</c>, where the timestamp is the
/// <c>X-Telephony-Timestamp</c> header (Unix seconds when sent). Because the timestamp is signed, a receiver that
/// refuses timestamps older than a few minutes (<see cref="DefaultTolerance"/>) cannot be fed an old signed request
/// again. Every delivery also carries <c>Idempotency-Key</c> (the same on every retry, so a receiver can drop
/// duplicates of one alert).
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-Telephony-Signature";
    public const string TimestampHeader = "X-Telephony-Timestamp";
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>How far a receiver should let the signed timestamp be from its own clock (either way).</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    private const string Prefix = "sha256=";

    /// <summary>The bytes that are signed: ASCII decimal <paramref name="timestamp"/>, a dot, then <paramref name="body"/>.</summary>
    public static byte[] SignedPayload(long timestamp, ReadOnlySpan<byte> body)
    {
        string stamp = timestamp.ToString(CultureInfo.InvariantCulture) + ".";
        var payload = new byte[stamp.Length + body.Length];
        Encoding.ASCII.GetBytes(stamp, payload);
        body.CopyTo(payload.AsSpan(stamp.Length));
        return payload;
    }

    /// <summary>Header value <c>sha256=&lt;lower-case hex&gt;</c> for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Compute(long timestamp, ReadOnlySpan<byte> body, ReadOnlySpan<byte> secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(secret, SignedPayload(timestamp, body)));

    /// <summary>Same, with the secret as UTF-8 text.</summary>
    public static string Compute(long timestamp, ReadOnlySpan<byte> body, string secret) =>
        Compute(timestamp, body, Encoding.UTF8.GetBytes(secret));

    /// <summary>
    /// Checks a received delivery (for receivers and tests): the timestamp header is a number of Unix seconds within
    /// <paramref name="tolerance"/> of <paramref name="now"/>, and the signature matches <c>timestamp.body</c>
    /// (compared in constant time).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? signatureHeader, string? timestampHeader,
        DateTimeOffset now, TimeSpan tolerance)
    {
        if (signatureHeader is null || !signatureHeader.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase)
            || !long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out long timestamp))
        {
            return false;
        }

        long skew = Math.Abs(now.ToUnixTimeSeconds() - timestamp);
        if (skew > (long)tolerance.TotalSeconds)
        {
            return false;
        }

        byte[] expected = Encoding.ASCII.GetBytes(Compute(timestamp, body, secret));
        byte[] actual = Encoding.ASCII.GetBytes(signatureHeader.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary><see cref="Verify(ReadOnlySpan{byte}, string, string?, string?, DateTimeOffset, TimeSpan)"/> against the
    /// system clock with <see cref="DefaultTolerance"/>.</summary>
    public static bool Verify(ReadOnlySpan<byte> body, string secret, string? signatureHeader, string? timestampHeader) =>
        Verify(body, secret, signatureHeader, timestampHeader, DateTimeOffset.UtcNow, DefaultTolerance);
}
