using System.Diagnostics.CodeAnalysis;
using Telephony.Pbx.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// One direction of an SRTP session (RFC 3711 §3.2): the session keys derived once from a master key and salt
/// (§4.3), the transforms (AES-CM + HMAC-SHA1, §4.1.1/§4.2.1, or AEAD_AES_128_GCM, RFC 7714 §8-9) and per-SSRC state
/// (ROC, replay windows, SRTCP index) in a small table allocated up front. An outbound context protects, an inbound
/// one unprotects; both work in place on the packet buffer, allocate nothing per packet and never throw for network
/// input (a <see cref="SrtpResult"/> says why a packet is dropped). Not thread-safe: one media loop owns it.
/// </summary>
public sealed partial class SrtpContext : IDisposable
{
    /// <summary>SSRCs a context tracks unless told otherwise.</summary>
    public const int DefaultMaxStreams = 8;

    private readonly SrtpStreamTable _streams;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;
    private readonly AesCounterMode? _rtpCipher;
    private readonly HmacSha1? _rtpAuth;
    private readonly AesCounterMode? _rtcpCipher;
    private readonly HmacSha1? _rtcpAuth;
    private readonly AesGcmCipher? _rtpGcm;
    private readonly AesGcmCipher? _rtcpGcm;
    private bool _disposed;

    private SrtpContext(SrtpProfile profile, SrtpDirection direction, SrtpSessionKeys rtp, SrtpSessionKeys rtcp,
        int maxStreams, SrtpCryptoBackend backend)
    {
        Profile = profile;
        Direction = direction;
        Backend = SrtpCrypto.Resolve(backend);
        _streams = new SrtpStreamTable(maxStreams);
        _rtpSalt = (byte[])rtp.Salt.Clone();
        _rtcpSalt = (byte[])rtcp.Salt.Clone();
        if (profile.IsAead)
        {
            _rtpGcm = SrtpCrypto.CreateGcm(rtp.EncryptionKey, Backend);
            _rtcpGcm = SrtpCrypto.CreateGcm(rtcp.EncryptionKey, Backend);
        }
        else
        {
            _rtpCipher = SrtpCrypto.CreateCounterMode(rtp.EncryptionKey, Backend);
            _rtpAuth = SrtpCrypto.CreateHmacSha1(rtp.AuthKey, Backend);
            _rtcpCipher = SrtpCrypto.CreateCounterMode(rtcp.EncryptionKey, Backend);
            _rtcpAuth = SrtpCrypto.CreateHmacSha1(rtcp.AuthKey, Backend);
        }
    }

    public SrtpProfile Profile { get; }

    public SrtpDirection Direction { get; }

    /// <summary>SSRCs currently tracked.</summary>
    public int StreamCount => _streams.Count;

    /// <summary>Most SSRCs tracked at once (outbound: more are refused; inbound: the least recently used is replaced).</summary>
    public int MaxStreams => _streams.Capacity;

    internal SrtpCryptoBackend Backend { get; }

    /// <summary>A context that protects what we send, keyed with our master key and salt.</summary>
    public static SrtpContext CreateOutbound(SrtpProfile profile, ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt, int maxStreams = DefaultMaxStreams) =>
        Create(profile, SrtpDirection.Outbound, masterKey, masterSalt, maxStreams, SrtpCryptoBackend.Auto);

    /// <summary>A context that unprotects what we receive, keyed with the peer's master key and salt.</summary>
    public static SrtpContext CreateInbound(SrtpProfile profile, ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt, int maxStreams = DefaultMaxStreams) =>
        Create(profile, SrtpDirection.Inbound, masterKey, masterSalt, maxStreams, SrtpCryptoBackend.Auto);

    /// <summary>
    /// Both contexts of a DTLS-SRTP association from the exporter output (RFC 5764 §4.2: client key, server key,
    /// client salt, server salt). The DTLS client sends with the client_write keys; the server with the server_write keys.
    /// </summary>
    public static (SrtpContext Outbound, SrtpContext Inbound) CreateFromDtlsKeyingMaterial(SrtpProfile profile,
        ReadOnlySpan<byte> keyingMaterial, bool isDtlsClient, int maxStreams = DefaultMaxStreams)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (keyingMaterial.Length != profile.DtlsKeyingMaterialLength)
        {
            throw new ArgumentException(
                $"{profile} needs {profile.DtlsKeyingMaterialLength} bytes of keying material.", nameof(keyingMaterial));
        }

        var keyLength = profile.MasterKeyLength;
        var saltLength = profile.MasterSaltLength;
        var clientKey = keyingMaterial[..keyLength];
        var serverKey = keyingMaterial.Slice(keyLength, keyLength);
        var clientSalt = keyingMaterial.Slice(2 * keyLength, saltLength);
        var serverSalt = keyingMaterial.Slice((2 * keyLength) + saltLength, saltLength);
        return isDtlsClient
            ? (CreateOutbound(profile, clientKey, clientSalt, maxStreams),
                CreateInbound(profile, serverKey, serverSalt, maxStreams))
            : (CreateOutbound(profile, serverKey, serverSalt, maxStreams),
                CreateInbound(profile, clientKey, clientSalt, maxStreams));
    }

    internal static SrtpContext Create(SrtpProfile profile, SrtpDirection direction, ReadOnlySpan<byte> masterKey,
        ReadOnlySpan<byte> masterSalt, int maxStreams, SrtpCryptoBackend backend)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (masterKey.Length != profile.MasterKeyLength)
        {
            throw new ArgumentException($"{profile} needs a {profile.MasterKeyLength}-byte master key.",
                nameof(masterKey));
        }

        if (masterSalt.Length != profile.MasterSaltLength)
        {
            throw new ArgumentException($"{profile} needs a {profile.MasterSaltLength}-byte master salt.",
                nameof(masterSalt));
        }

        var rtp = SrtpSessionKeys.Derive(profile, masterKey, masterSalt, rtcp: false);
        var rtcp = SrtpSessionKeys.Derive(profile, masterKey, masterSalt, rtcp: true);
        try
        {
            return new SrtpContext(profile, direction, rtp, rtcp, maxStreams, backend);
        }
        finally
        {
            rtp.Clear();
            rtcp.Clear();
        }
    }

    /// <summary>A context from session keys given directly (the RFC 7714 §16-17 vectors state session keys).</summary>
    internal static SrtpContext CreateWithSessionKeys(SrtpProfile profile, SrtpDirection direction, SrtpSessionKeys rtp,
        SrtpSessionKeys rtcp, SrtpCryptoBackend backend, int maxStreams = DefaultMaxStreams) =>
        new(profile, direction, rtp, rtcp, maxStreams, backend);

    /// <summary>The ROC and highest sequence number tracked for <paramref name="ssrc"/> (RFC 3711 §3.3.1).</summary>
    internal bool TryGetRtpState(uint ssrc, out uint rolloverCounter, out ushort highestSequence)
    {
        var slot = _streams.Find(ssrc);
        if (slot < 0 || !_streams[slot].RtpStarted)
        {
            rolloverCounter = 0;
            highestSequence = 0;
            return false;
        }

        rolloverCounter = (uint)(_streams[slot].RtpHighestIndex >> 16);
        highestSequence = (ushort)_streams[slot].RtpHighestIndex;
        return true;
    }

    /// <summary>Sets the next SRTCP index an outbound stream sends (to replay the RFC 7714 §17 vector).</summary>
    internal void SetNextRtcpIndex(uint ssrc, long index)
    {
        var slot = _streams.Find(ssrc);
        if (slot < 0)
        {
            slot = _streams.Claim(ssrc, evict: false);
        }

        _streams[slot].RtcpIndex = index;
    }

    /// <summary>Forgets every SSRC (benchmarks replay a fixed pool of packets through one inbound context).</summary>
    internal void ResetStreams() => _streams.Clear();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _rtpCipher?.Dispose();
        _rtpAuth?.Dispose();
        _rtcpCipher?.Dispose();
        _rtcpAuth?.Dispose();
        _rtpGcm?.Dispose();
        _rtcpGcm?.Dispose();
        Array.Clear(_rtpSalt);
        Array.Clear(_rtcpSalt);
    }

    private void CheckUse(SrtpDirection expected, int length, int bufferLength)
    {
        if (Direction != expected)
        {
            ThrowWrongDirection(expected);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)length > (uint)bufferLength)
        {
            ThrowLength();
        }
    }

    [DoesNotReturn]
    private void ThrowWrongDirection(SrtpDirection expected) => throw new InvalidOperationException(
        $"This {Direction} SRTP context cannot be used {expected}: create one context per direction.");

    [DoesNotReturn]
    private static void ThrowLength() =>
        throw new ArgumentOutOfRangeException("length", "The length must be between 0 and the buffer length.");
}
