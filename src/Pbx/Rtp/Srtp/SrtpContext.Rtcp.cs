using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Telephony.Pbx.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Rtp.Srtp;

/// <content>
/// SRTCP (RFC 3711 §3.4; RFC 7714 §9): the first 8 bytes (header and sender SSRC) stay clear, the rest is encrypted,
/// then come the E flag with the 31-bit SRTCP index and the tag. AES-CM: <c>header | cipher | E+index | tag</c>
/// (the tag covers everything before it). GCM: <c>header | cipher | tag | E+index</c> (AAD = header and E+index).
/// </content>
public sealed partial class SrtpContext
{
    private const int RtcpClearLength = 8;
    private const int RtcpIndexLength = 4;
    private const uint EncryptedFlag = 0x8000_0000;

    /// <summary>
    /// Encrypts the (compound) RTCP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place and appends
    /// the E flag, SRTCP index and tag; the buffer needs <see cref="SrtpProfile.RtcpOverhead"/> spare bytes.
    /// </summary>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength) =>
        ProtectRtcp(buffer, length, out protectedLength) == SrtpResult.Ok;

    /// <summary>As <see cref="TryProtectRtcp"/>, saying why a packet could not be protected.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SrtpResult ProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        CheckUse(SrtpDirection.Outbound, length, buffer.Length);
        protectedLength = 0;
        if (length < RtcpClearLength)
        {
            return SrtpResult.TooShort;
        }

        if (buffer[0] >> 6 != 2)
        {
            return SrtpResult.BadHeader;
        }

        var tagLength = Profile.RtcpAuthTagLength;
        if (buffer.Length - length < tagLength + RtcpIndexLength)
        {
            return SrtpResult.BufferTooSmall;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        var slot = _streams.Find(ssrc);
        if (slot < 0)
        {
            slot = _streams.Claim(ssrc, evict: false);
            if (slot < 0)
            {
                return SrtpResult.SsrcLimitReached;
            }
        }

        ref var stream = ref _streams[slot];
        var index = stream.RtcpIndex;
        if (index > SrtpPacketIndex.MaxRtcpIndex)
        {
            return SrtpResult.IndexExhausted;
        }

        var word = EncryptedFlag | (uint)index;
        var body = buffer[RtcpClearLength..length];
        if (Profile.IsAead)
        {
            Span<byte> nonce = stackalloc byte[AesGcmCipher.NonceLength];
            RtcpGcmNonce(nonce, ssrc, (uint)index);
            Span<byte> aad = stackalloc byte[RtcpClearLength + RtcpIndexLength];
            buffer[..RtcpClearLength].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpClearLength..], word);
            _rtcpGcm!.Encrypt(nonce, body, buffer.Slice(length, tagLength), aad);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[(length + tagLength)..], word);
        }
        else
        {
            Span<byte> iv = stackalloc byte[16];
            CounterModeIv(iv, _rtcpSalt, ssrc, index);
            _rtcpCipher!.XorKeystream(iv, body);
            BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], word);
            Span<byte> mac = stackalloc byte[HmacSha1.MacLength];
            _rtcpAuth!.Compute(buffer[..(length + RtcpIndexLength)], default, mac);
            mac[..tagLength].CopyTo(buffer[(length + RtcpIndexLength)..]);
        }

        stream.RtcpIndex = index + 1;
        _streams.Touch(slot);
        protectedLength = length + tagLength + RtcpIndexLength;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and (when the E flag is set) decrypts the SRTCP packet in place (RFC 3711 §3.4).
    /// On <see cref="SrtpResult.Ok"/> the RTCP packet is <paramref name="buffer"/>[..<paramref name="plainLength"/>].
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SrtpResult UnprotectRtcp(Span<byte> buffer, int length, out int plainLength)
    {
        CheckUse(SrtpDirection.Inbound, length, buffer.Length);
        plainLength = 0;
        var tagLength = Profile.RtcpAuthTagLength;
        if (length < RtcpClearLength + RtcpIndexLength + tagLength)
        {
            return SrtpResult.TooShort;
        }

        if (buffer[0] >> 6 != 2)
        {
            return SrtpResult.BadHeader;
        }

        var end = length - tagLength - RtcpIndexLength;
        var wordOffset = Profile.IsAead ? length - RtcpIndexLength : end;
        var word = BinaryPrimitives.ReadUInt32BigEndian(buffer[wordOffset..]);
        var encrypted = (word & EncryptedFlag) != 0;
        long index = word & ~EncryptedFlag;
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);

        var slot = _streams.Find(ssrc);
        long ahead = 0;
        if (slot >= 0 && _streams[slot].RtcpStarted)
        {
            ref var known = ref _streams[slot];
            ahead = index - known.RtcpIndex;
            if (ahead <= 0)
            {
                if (-ahead >= SrtpReplayWindow.Size)
                {
                    return SrtpResult.TooOld;
                }

                if (known.RtcpWindow.Contains(-ahead))
                {
                    return SrtpResult.Replayed;
                }
            }
        }

        var result = Profile.IsAead
            ? OpenRtcpGcm(buffer, end, word, encrypted, ssrc, (uint)index)
            : OpenRtcpCounterMode(buffer, end, length, encrypted, ssrc, index);
        if (result != SrtpResult.Ok)
        {
            return result;
        }

        if (slot < 0)
        {
            slot = _streams.Claim(ssrc, evict: true);
        }

        ref var stream = ref _streams[slot];
        SrtpStream.Accept(ref stream.RtcpStarted, ref stream.RtcpIndex, ref stream.RtcpWindow, index, ahead);

        _streams.Touch(slot);
        plainLength = end;
        return SrtpResult.Ok;
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SrtpResult OpenRtcpCounterMode(Span<byte> buffer, int end, int length, bool encrypted, uint ssrc,
        long index)
    {
        var tagLength = Profile.RtcpAuthTagLength;
        Span<byte> mac = stackalloc byte[HmacSha1.MacLength];
        _rtcpAuth!.Compute(buffer[..(end + RtcpIndexLength)], default, mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..tagLength], buffer[(length - tagLength)..length]))
        {
            return SrtpResult.AuthenticationFailed;
        }

        if (encrypted)
        {
            Span<byte> iv = stackalloc byte[16];
            CounterModeIv(iv, _rtcpSalt, ssrc, index);
            _rtcpCipher!.XorKeystream(iv, buffer[RtcpClearLength..end]);
        }

        return SrtpResult.Ok;
    }

    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private SrtpResult OpenRtcpGcm(Span<byte> buffer, int end, uint word, bool encrypted, uint ssrc, uint index)
    {
        Span<byte> nonce = stackalloc byte[AesGcmCipher.NonceLength];
        RtcpGcmNonce(nonce, ssrc, index);
        Span<byte> tag = stackalloc byte[AesGcmCipher.TagLength];
        buffer.Slice(end, AesGcmCipher.TagLength).CopyTo(tag);
        if (encrypted)
        {
            Span<byte> aad = stackalloc byte[RtcpClearLength + RtcpIndexLength];
            buffer[..RtcpClearLength].CopyTo(aad);
            BinaryPrimitives.WriteUInt32BigEndian(aad[RtcpClearLength..], word);
            return _rtcpGcm!.Decrypt(nonce, buffer[RtcpClearLength..end], tag, aad)
                ? SrtpResult.Ok
                : SrtpResult.AuthenticationFailed;
        }

        // E = 0 (RFC 7714 §9): the whole packet and E+index are AAD, nothing is encrypted. Move the index word
        // over the tag so the AAD is contiguous; the bytes past the packet are not part of the result.
        BinaryPrimitives.WriteUInt32BigEndian(buffer[end..], word);
        return _rtcpGcm!.Decrypt(nonce, Span<byte>.Empty, tag, buffer[..(end + RtcpIndexLength)])
            ? SrtpResult.Ok
            : SrtpResult.AuthenticationFailed;
    }

    /// <summary>RFC 7714 §9.1: IV = (0x0000 || SSRC || 0x0000 || 0 || SRTCP index) XOR salt.</summary>
    private void RtcpGcmNonce(Span<byte> nonce, uint ssrc, uint index)
    {
        _rtcpSalt.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], BinaryPrimitives.ReadUInt32BigEndian(nonce[2..]) ^ ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], BinaryPrimitives.ReadUInt32BigEndian(nonce[8..]) ^ index);
    }
}
