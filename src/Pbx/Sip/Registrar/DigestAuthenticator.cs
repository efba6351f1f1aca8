using System.Buffers.Binary;
using System.Buffers.Text;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Server side of Digest authentication for REGISTER/INVITE (RFC 3261 §22.4, RFC 7616 §3.3-§3.4, RFC 8760).
/// Nonces are stateless: base64url(timestamp ‖ random ‖ HMAC-SHA256(key, timestamp ‖ random ‖ realm ‖ client
/// address)[..16]), so any instance holding the key can verify them; a nonce is bound to the realm and, when the
/// caller gives one, to the client's address (RFC 2617 §3.2.1), so a nonce fetched from one address cannot be used
/// from another (e.g. to get a spoofed address banned). Nonces turn stale after <see cref="NonceLifetime"/>.
/// Nonce-count replays within a nonce's lifetime, and a second use of a nonce without qop, are reported as stale.
/// The digest-uri must be the Request-URI (RFC 2617 §3.2.2.5). An unknown user costs the same hash work as a wrong
/// password, so timing does not tell which users exist. Thread-safe.
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
    private readonly string _decoyPassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

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

    /// <summary>
    /// A WWW-Authenticate / Proxy-Authenticate header value with a fresh nonce and qop="auth". With
    /// <paramref name="client"/> the nonce is only valid for requests from that address.
    /// </summary>
    public string CreateChallenge(DigestAlgorithm algorithm = DigestAlgorithm.Md5, bool stale = false,
        IPAddress? client = null) => new DigestChallenge
    {
        Realm = Realm,
        Nonce = CreateNonce(client),
        AlgorithmName = algorithm.ToToken(),
        QopOptions = ["auth"],
        Stale = stale,
    }.ToString();

    /// <summary>
    /// Checks an Authorization / Proxy-Authorization header value for a request with <paramref name="method"/>,
    /// without comparing the digest-uri and for nonces issued without a client address.
    /// <paramref name="passwordLookup"/> maps a user name to its password, or null for unknown users.
    /// </summary>
    public DigestVerifyResult Verify(string method, string credentialsHeaderValue, Func<string, string?> passwordLookup) =>
        Verify(method, credentialsHeaderValue, Secrets(passwordLookup), null, null);

    /// <summary>As <see cref="Verify(string, string, Func{string, SipSecret?}, SipUri?, IPAddress?)"/> with plaintext passwords.</summary>
    public DigestVerifyResult Verify(string method, string credentialsHeaderValue, Func<string, string?> passwordLookup,
        SipUri? requestUri, IPAddress? client) =>
        Verify(method, credentialsHeaderValue, Secrets(passwordLookup), requestUri, client);

    private static Func<string, SipSecret?> Secrets(Func<string, string?> passwordLookup)
    {
        ArgumentNullException.ThrowIfNull(passwordLookup);
        return user => passwordLookup(user) is { } password ? SipSecret.FromPassword(password) : null;
    }

    /// <summary>
    /// Checks an Authorization / Proxy-Authorization header value for a request with <paramref name="method"/> and
    /// <paramref name="requestUri"/> (the digest-uri must match it, RFC 3261 §22.4; null skips the check) from
    /// <paramref name="client"/> (the address the nonce was issued to, or null). Everything that does not depend on
    /// the user is checked before the password, so the outcome for an unknown user is <see cref="DigestOutcome.UnknownUser"/>
    /// exactly where a known user's would be <see cref="DigestOutcome.WrongPassword"/>, after the same hash work.
    /// </summary>
    public DigestVerifyResult Verify(string method, string credentialsHeaderValue, Func<string, SipSecret?> secretLookup,
        SipUri? requestUri, IPAddress? client)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(secretLookup);
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

        if (!TryReadNonce(c.Nonce, client, out long issuedMs))
        {
            _logger.LogDebug("Digest nonce for {User} was not issued by us to {Client}", c.UserName, client);
            return new DigestVerifyResult(DigestOutcome.InvalidNonce, c.UserName);
        }

        if (requestUri is not null && !DigestUri.Matches(c.Uri, requestUri))
        {
            return new DigestVerifyResult(DigestOutcome.UriMismatch, c.UserName);
        }

        // Every path hashes once for HA1: the password (user:realm:password), or the decoy when the user is unknown or
        // stores its HA1 (the decoy is then thrown away), so the timing does not tell them apart. A stored HA1 that does
        // not cover the algorithm the client chose cannot match.
        SipSecret? secret = secretLookup(c.UserName);
        string ha1;
        string? known;
        if (secret?.Password is not null)
        {
            known = ha1 = secret.Ha1(algorithm, c.UserName, c.Realm)!;
        }
        else
        {
            string decoy = DigestAlgorithms.Hash(algorithm, $"{c.UserName}:{c.Realm}:{_decoyPassword}");
            known = secret?.Ha1(algorithm, c.UserName, c.Realm);
            ha1 = known ?? decoy;
        }
        string expected = DigestAlgorithms.ComputeResponseFromHa1(
            algorithm, ha1, method, c.Uri, c.Nonce, c.Qop, c.NonceCount, c.Cnonce);
        bool match = known is not null && FixedTimeEqualsIgnoreCase(expected, c.Response);
        if (secret is null)
        {
            return new DigestVerifyResult(DigestOutcome.UnknownUser, c.UserName);
        }

        if (!match)
        {
            return new DigestVerifyResult(DigestOutcome.WrongPassword, c.UserName);
        }

        long nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (nowMs - issuedMs > (long)NonceLifetime.TotalMilliseconds)
        {
            return new DigestVerifyResult(DigestOutcome.Stale, c.UserName);
        }

        // Without qop there is no nc: such a nonce is good for one request (nc 1 recorded, a second use is a replay).
        if (!AcceptNonceCount(c.Nonce, c.Qop is null ? 1 : nc, issuedMs, nowMs))
        {
            _logger.LogDebug("Digest nonce-count replay for {User}", c.UserName);
            return new DigestVerifyResult(DigestOutcome.Stale, c.UserName);
        }

        return new DigestVerifyResult(DigestOutcome.Ok, c.UserName);
    }

    private string CreateNonce(IPAddress? client)
    {
        // Issue time + random bytes (so that challenges issued in the same millisecond differ: nonce counts are
        // tracked per nonce, RFC 7616 §3.4) + a MAC over both, the realm and the client address.
        Span<byte> raw = stackalloc byte[NonceBytes];
        BinaryPrimitives.WriteInt64BigEndian(raw, _time.GetUtcNow().ToUnixTimeMilliseconds());
        RandomNumberGenerator.Fill(raw[TimestampLength..PayloadLength]);
        Mac(raw[..PayloadLength], client, raw[PayloadLength..]);
        return Base64UrlEncode(raw);
    }

    private bool TryReadNonce(string nonce, IPAddress? client, out long issuedMs)
    {
        issuedMs = 0;
        Span<byte> raw = stackalloc byte[NonceBytes];
        if (!TryBase64UrlDecode(nonce, raw))
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        Mac(raw[..PayloadLength], client, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw[PayloadLength..]))
        {
            return false;
        }

        issuedMs = BinaryPrimitives.ReadInt64BigEndian(raw);
        return issuedMs <= _time.GetUtcNow().ToUnixTimeMilliseconds() + (long)AllowedClockSkew.TotalMilliseconds;
    }

    private void Mac(ReadOnlySpan<byte> payload, IPAddress? client, Span<byte> destination)
    {
        Span<byte> address = stackalloc byte[16];
        int addressLength = 0;
        if (client is not null)
        {
            var a = client.IsIPv4MappedToIPv6 ? client.MapToIPv4() : client;
            a.TryWriteBytes(address, out addressLength);
        }

        Span<byte> input = stackalloc byte[PayloadLength + _realmBytes.Length + addressLength];
        payload.CopyTo(input);
        _realmBytes.CopyTo(input[PayloadLength..]);
        address[..addressLength].CopyTo(input[(PayloadLength + _realmBytes.Length)..]);
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
