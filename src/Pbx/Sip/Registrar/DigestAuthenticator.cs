using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Server side of Digest authentication for REGISTER/INVITE (RFC 3261 §22.4, RFC 7616 §3.3-§3.4, RFC 8760).
/// Nonces are stateless: base64url(timestamp ‖ HMAC-SHA256(key, timestamp ‖ realm)[..16]), so any instance holding
/// the key can verify them; they turn stale after <see cref="NonceLifetime"/>. Nonce-count replays within a nonce's
/// lifetime are reported as stale. Thread-safe.
/// </summary>
public sealed class DigestAuthenticator
{
    /// <summary>Default nonce lifetime.</summary>
    public static readonly TimeSpan DefaultNonceLifetime = TimeSpan.FromMinutes(5);

    /// <summary>Most nonces whose nc we remember for replay detection.</summary>
    public const int MaxTrackedNonces = 10_000;

    private const int TimestampLength = 8;
    private const int RandomLength = 8;
    private const int PayloadLength = TimestampLength + RandomLength;
    private const int MacLength = 16;
    private const int NonceBytes = PayloadLength + MacLength;
    private static readonly TimeSpan AllowedClockSkew = TimeSpan.FromSeconds(5);

    private readonly byte[] _key;
    private readonly byte[] _realmBytes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (ulong Count, long IssuedMs)> _nonceCounts = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Creates an authenticator for <paramref name="realm"/> with a secret key of at least 16 bytes.</summary>
    public DigestAuthenticator(
        string realm, byte[] secretKey, TimeProvider timeProvider, TimeSpan? nonceLifetime = null, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(realm);
        ArgumentNullException.ThrowIfNull(secretKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (secretKey.Length < 16)
        {
            throw new ArgumentException("Digest secret key must be at least 16 bytes.", nameof(secretKey));
        }

        Realm = realm;
        _key = (byte[])secretKey.Clone();
        _realmBytes = Encoding.UTF8.GetBytes(realm);
        _time = timeProvider;
        NonceLifetime = nonceLifetime ?? DefaultNonceLifetime;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The protection realm, usually the SIP domain.</summary>
    public string Realm { get; }

    /// <summary>How long a nonce is accepted before it is stale.</summary>
    public TimeSpan NonceLifetime { get; }

    /// <summary>A WWW-Authenticate / Proxy-Authenticate header value with a fresh nonce and qop="auth".</summary>
    public string CreateChallenge(DigestAlgorithm algorithm = DigestAlgorithm.Md5, bool stale = false) => new DigestChallenge
    {
        Realm = Realm,
        Nonce = CreateNonce(),
        AlgorithmName = algorithm.ToToken(),
        QopOptions = ["auth"],
        Stale = stale,
    }.ToString();

    /// <summary>
    /// Checks an Authorization / Proxy-Authorization header value for a request with <paramref name="method"/>.
    /// <paramref name="passwordLookup"/> maps a user name to its password, or null for unknown users. The caller
    /// should also compare the credentials' uri with the Request-URI.
    /// </summary>
    public DigestVerifyResult Verify(string method, string credentialsHeaderValue, Func<string, string?> passwordLookup)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(passwordLookup);
        if (!DigestCredentials.TryParse(credentialsHeaderValue, out DigestCredentials? c) || c is null)
        {
            return new DigestVerifyResult(DigestOutcome.Malformed, null);
        }

        if (!string.Equals(c.Realm, Realm, StringComparison.Ordinal))
        {
            return new DigestVerifyResult(DigestOutcome.RealmMismatch, c.UserName);
        }

        if (!DigestAlgorithms.TryParse(c.AlgorithmName, out DigestAlgorithm algorithm)
            || (c.Qop is not null && !c.Qop.Equals("auth", StringComparison.OrdinalIgnoreCase)))
        {
            return new DigestVerifyResult(DigestOutcome.UnsupportedAlgorithm, c.UserName);
        }

        ulong nc = 0;
        bool sess = algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess;
        if ((c.Qop is not null && (c.Cnonce is null || c.NonceCount is not { Length: 8 }
                || !ulong.TryParse(c.NonceCount, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out nc)))
            || (sess && c.Cnonce is null))
        {
            return new DigestVerifyResult(DigestOutcome.Malformed, c.UserName);
        }

        if (!TryReadNonce(c.Nonce, out long issuedMs))
        {
            _logger.LogDebug("Digest nonce for {User} was not issued by us", c.UserName);
            return new DigestVerifyResult(DigestOutcome.InvalidNonce, c.UserName);
        }

        string? password = passwordLookup(c.UserName);
        if (password is null)
        {
            return new DigestVerifyResult(DigestOutcome.UnknownUser, c.UserName);
        }

        string expected = DigestAlgorithms.ComputeResponse(
            algorithm, c.UserName, c.Realm, password, method, c.Uri, c.Nonce, c.Qop, c.NonceCount, c.Cnonce);
        if (!FixedTimeEqualsIgnoreCase(expected, c.Response))
        {
            return new DigestVerifyResult(DigestOutcome.WrongPassword, c.UserName);
        }

        long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (nowMs - issuedMs > (long)NonceLifetime.TotalMilliseconds)
        {
            return new DigestVerifyResult(DigestOutcome.Stale, c.UserName);
        }

        if (c.Qop is not null && !AcceptNonceCount(c.Nonce, nc, issuedMs, nowMs))
        {
            _logger.LogDebug("Digest nonce-count replay for {User}", c.UserName);
            return new DigestVerifyResult(DigestOutcome.Stale, c.UserName);
        }

        return new DigestVerifyResult(DigestOutcome.Ok, c.UserName);
    }

    private string CreateNonce()
    {
        // Issue time + random bytes (so that challenges issued in the same millisecond differ: nonce counts are
        // tracked per nonce, RFC 7616 §3.4) + a MAC over both.
        Span<byte> raw = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt64BigEndian(raw, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(raw[TimestampLength..PayloadLength]);
        Mac(raw[..PayloadLength], raw[PayloadLength..]);
        return Base64UrlEncode(raw);
    }

    private bool TryReadNonce(string nonce, out long issuedMs)
    {
        issuedMs = 0;
        Span<byte> raw = stackalloc byte[NonceBytes];
        if (!TryBase64UrlDecode(nonce, raw))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        Mac(raw[..PayloadLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw[PayloadLength..]))
        {
            return false;
        }

        issuedMs = BinaryPrimitives.ReadInt64BigEndian(raw);
        return issuedMs <= _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)AllowedClockSkew.TotalMilliseconds;
    }

    private void Mac(ReadOnlySpan<byte> payload, Span<byte> destination)
    {
        Span<byte> input = stackalloc byte[PayloadLength + _realmBytes.Length];
        payload.CopyTo(input);
        _realmBytes.CopyTo(input[PayloadLength..]);
        Span<byte> full = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(_key, input, full);
        full[..MacLength].CopyTo(destination);
    }

    private bool AcceptNonceCount(string nonce, ulong nc, long issuedMs, long nowMs)
    {
        lock (_gate)
        {
            if (_nonceCounts.TryGetValue(nonce, out var seen) && nc <= seen.Count)
            {
                return false;
            }

            if (_nonceCounts.Count >= MaxTrackedNonces)
            {
                long lifetimeMs = (long)NonceLifetime.TotalMilliseconds;
                foreach (var (key, value) in _nonceCounts.ToArray())
                {
                    if (nowMs - value.IssuedMs > lifetimeMs)
                    {
                        _nonceCounts.Remove(key);
                    }
                }

                if (_nonceCounts.Count >= MaxTrackedNonces)
                {
                    _nonceCounts.Clear();
                }
            }

            _nonceCounts[nonce] = (nc, issuedMs);
            return true;
        }
    }

    private static bool FixedTimeEqualsIgnoreCase(string expectedLowerHex, string actual)
    {
        if (expectedLowerHex.Length != actual.Length)
        {
            return false;
        }

        byte[] a = Encoding.ASCII.GetBytes(expectedLowerHex);
        byte[] b = Encoding.ASCII.GetBytes(actual.ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    private static string Base64UrlEncode(ReadOnlySpan<byte> data) => Base64Url.EncodeToString(data);

    private static bool TryBase64UrlDecode(string text, Span<byte> destination) =>
        text.Length == Base64Url.GetEncodedLength(NonceBytes)
        && Base64Url.TryDecodeFromChars(text, destination, out int written) && written == destination.Length;
}
