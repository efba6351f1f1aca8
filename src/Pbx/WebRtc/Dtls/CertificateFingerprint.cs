using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Digests;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// A certificate fingerprint as SDP carries it in <c>a=fingerprint:sha-256 AB:CD:…</c> (RFC 8122 §5: hash function
/// name, a space, upper-case hex pairs joined by colons). Parses any case, formats upper-case; checks a peer's DER
/// certificate against it (RFC 8122 §5, RFC 5763 §5: the DTLS peer must present the certificate the SDP names).
/// </summary>
public sealed class CertificateFingerprint : IEquatable<CertificateFingerprint>
{
    private readonly byte[] _value;

    public CertificateFingerprint(FingerprintAlgorithm algorithm, ReadOnlySpan<byte> value)
    {
        if (value.Length != GetHashLength(algorithm))
        {
            throw new ArgumentException($"A {GetName(algorithm)} fingerprint is {GetHashLength(algorithm)} bytes.",
                nameof(value));
        }

        Algorithm = algorithm;
        _value = value.ToArray();
    }

    public FingerprintAlgorithm Algorithm { get; }

    /// <summary>The hash bytes.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>
    /// The SDP hash function name: <c>sha-1</c>, <c>sha-224</c>, <c>sha-256</c>, <c>sha-384</c>, <c>sha-512</c>.
    /// </summary>
    public static string GetName(FingerprintAlgorithm algorithm) => algorithm switch
    {
        FingerprintAlgorithm.Sha1 => "sha-1",
        FingerprintAlgorithm.Sha224 => "sha-224",
        FingerprintAlgorithm.Sha256 => "sha-256",
        FingerprintAlgorithm.Sha384 => "sha-384",
        FingerprintAlgorithm.Sha512 => "sha-512",
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    public static int GetHashLength(FingerprintAlgorithm algorithm) => algorithm switch
    {
        FingerprintAlgorithm.Sha1 => 20,
        FingerprintAlgorithm.Sha224 => 28,
        FingerprintAlgorithm.Sha256 => 32,
        FingerprintAlgorithm.Sha384 => 48,
        FingerprintAlgorithm.Sha512 => 64,
        _ => throw new ArgumentOutOfRangeException(nameof(algorithm)),
    };

    /// <summary>Hashes a DER certificate.</summary>
    public static CertificateFingerprint Compute(FingerprintAlgorithm algorithm, ReadOnlySpan<byte> certificateDer) =>
        new(algorithm, Hash(algorithm, certificateDer));

    /// <summary>Parses the value of an <c>a=fingerprint</c> attribute (what follows <c>a=fingerprint:</c>).</summary>
    public static FingerprintParseError TryParse(string? sdpValue,
        [NotNullWhen(true)] out CertificateFingerprint? fingerprint)
    {
        fingerprint = null;
        var text = sdpValue.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return FingerprintParseError.Empty;
        }

        var space = text.IndexOf(' ');
        if (space < 0)
        {
            return FingerprintParseError.MissingFingerprint;
        }

        if (!TryParseName(text[..space], out var algorithm))
        {
            return FingerprintParseError.UnsupportedHashFunction;
        }

        var hex = text[(space + 1)..].Trim();
        if (hex.Length % 3 != 2)
        {
            return hex.Length == 0 ? FingerprintParseError.MissingFingerprint : FingerprintParseError.BadHex;
        }

        var length = (hex.Length + 1) / 3;
        Span<byte> bytes = stackalloc byte[64];
        for (var i = 0; i < length; i++)
        {
            var pair = hex.Slice(3 * i, 2);
            if ((i > 0 && hex[(3 * i) - 1] != ':')
                || !byte.TryParse(pair, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var b))
            {
                return FingerprintParseError.BadHex;
            }

            if (i < bytes.Length)
            {
                bytes[i] = b;
            }
        }

        if (length != GetHashLength(algorithm))
        {
            return FingerprintParseError.WrongLength;
        }

        fingerprint = new CertificateFingerprint(algorithm, bytes[..length]);
        return FingerprintParseError.None;
    }

    /// <summary>Parses or throws <see cref="FormatException"/> (configuration and tests).</summary>
    public static CertificateFingerprint Parse(string sdpValue)
    {
        var error = TryParse(sdpValue, out var fingerprint);
        return fingerprint ?? throw new FormatException($"Bad a=fingerprint value '{sdpValue}': {error}.");
    }

    /// <summary>True when <paramref name="certificateDer"/> hashes to this fingerprint (constant-time compare).</summary>
    public bool Matches(ReadOnlySpan<byte> certificateDer) =>
        CryptographicOperations.FixedTimeEquals(Hash(Algorithm, certificateDer), _value);

    /// <summary>SDP form: <c>sha-256 AB:CD:…</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder(GetName(Algorithm).Length + 1 + (3 * _value.Length));
        builder.Append(GetName(Algorithm)).Append(' ');
        for (var i = 0; i < _value.Length; i++)
        {
            if (i > 0)
            {
                builder.Append(':');
            }

            builder.Append(_value[i].ToString("X2", CultureInfo.InvariantCulture));
        }

        return builder.ToString();
    }

    public bool Equals(CertificateFingerprint? other) =>
        other is not null && other.Algorithm == Algorithm && other._value.AsSpan().SequenceEqual(_value);

    public override bool Equals(object? obj) => Equals(obj as CertificateFingerprint);

    public override int GetHashCode() => HashCode.Combine(Algorithm, BitConverter.ToInt32(_value, 0));

    private static bool TryParseName(ReadOnlySpan<char> name, out FingerprintAlgorithm algorithm)
    {
        foreach (var candidate in Enum.GetValues<FingerprintAlgorithm>())
        {
            if (name.Equals(GetName(candidate), StringComparison.OrdinalIgnoreCase))
            {
                algorithm = candidate;
                return true;
            }
        }

        algorithm = default;
        return false;
    }

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "sha-1 fingerprints are still valid in SDP (RFC 8122 §5); we only check peers' values.")]
    private static byte[] Hash(FingerprintAlgorithm algorithm, ReadOnlySpan<byte> data)
    {
        switch (algorithm)
        {
            case FingerprintAlgorithm.Sha1:
                return SHA1.HashData(data);
            case FingerprintAlgorithm.Sha256:
                return SHA256.HashData(data);
            case FingerprintAlgorithm.Sha384:
                return SHA384.HashData(data);
            case FingerprintAlgorithm.Sha512:
                return SHA512.HashData(data);
            case FingerprintAlgorithm.Sha224:
                var digest = new Sha224Digest();
                digest.BlockUpdate(data);
                var hash = new byte[digest.GetDigestSize()];
                digest.DoFinal(hash, 0);
                return hash;
            default:
                throw new ArgumentOutOfRangeException(nameof(algorithm));
        }
    }
}
