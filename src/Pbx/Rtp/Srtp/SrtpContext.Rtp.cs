using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Telephony.Pbx.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Rtp.Srtp;

/// <content>SRTP (RFC 3711 §3.1, §3.3; RFC 7714 §8): protect and unprotect RTP packets in place.</content>
public sealed partial class SrtpContext
{
    /// <summary>
    /// Encrypts the payload of the RTP packet in <paramref name="buffer"/>[..<paramref name="length"/>] in place and
    /// appends the tag; the buffer needs <see cref="SrtpProfile.RtpOverhead"/> spare bytes past the packet.
    /// </summary>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength) =>
        ProtectRtp(buffer, length, out protectedLength) == SrtpResult.Ok;

    /// <summary>As <see cref="TryProtectRtp"/>, saying why a packet could not be protected.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SrtpResult ProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        CheckUse(SrtpDirection.Outbound, length, buffer.Length);
        protectedLength = 0;
        var tagLength = Profile.RtpAuthTagLength;
        var header = ReadRtpHeader(buffer[..length], 0, out var ssrc, out var seq, out var headerLength);
        if (header != SrtpResult.Ok)
        {
            return header;
        }

        if (buffer.Length - length < tagLength)
        {
            return SrtpResult.BufferTooSmall;
        }

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
        long index = stream.RtpStarted ? SrtpPacketIndex.Estimate(stream.RtpHighestIndex, seq) : seq;
        if (index < 0)
        {
            return SrtpResult.TooOld;
        }

        if (index > SrtpPacketIndex.MaxRtpIndex)
        {
            return SrtpResult.IndexExhausted;
        }

        var roc = (uint)(index >> 16);
        var payload = buffer[headerLength..length];
        var tag = buffer.Slice(length, tagLength);
        if (Profile.IsAead)
        {
            Span<byte> nonce = stackalloc byte[AesGcmCipher.NonceLength];
            RtpGcmNonce(nonce, ssrc, roc, seq);
            _rtpGcm!.Encrypt(nonce, payload, tag, buffer[..headerLength]);
        }
        else
        {
            Span<byte> iv = stackalloc byte[16];
            CounterModeIv(iv, _rtpSalt, ssrc, index);
            _rtpCipher!.XorKeystream(iv, payload);
            Span<byte> rocBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
            Span<byte> mac = stackalloc byte[HmacSha1.MacLength];
            _rtpAuth!.Compute(buffer[..length], rocBytes, mac);
            mac[..tagLength].CopyTo(tag);
        }

        if (!stream.RtpStarted || index > stream.RtpHighestIndex)
        {
            stream.RtpHighestIndex = index;
            stream.RtpStarted = true;
        }

        _streams.Touch(slot);
        protectedLength = length + tagLength;
        return SrtpResult.Ok;
    }

    /// <summary>
    /// Authenticates, replay-checks and decrypts the SRTP packet in <paramref name="buffer"/>[..<paramref name="length"/>]
    /// in place (RFC 3711 §3.3 steps 1-6). On <see cref="SrtpResult.Ok"/> the RTP packet is
    /// <paramref name="buffer"/>[..<paramref name="plainLength"/>]; otherwise drop it (the stream state is unchanged).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public SrtpResult UnprotectRtp(Span<byte> buffer, int length, out int plainLength)
    {
        CheckUse(SrtpDirection.Inbound, length, buffer.Length);
        plainLength = 0;
        var tagLength = Profile.RtpAuthTagLength;
        var header = ReadRtpHeader(buffer[..length], tagLength, out var ssrc, out var seq, out var headerLength);
        if (header != SrtpResult.Ok)
        {
            return header;
        }

        var slot = _streams.Find(ssrc);
        long index = seq;
        long ahead = 0;
        if (slot >= 0 && _streams[slot].RtpStarted)
        {
            ref var known = ref _streams[slot];
            index = SrtpPacketIndex.Estimate(known.RtpHighestIndex, seq);
            if (index < 0)
            {
                return SrtpResult.TooOld;
            }

            if (index > SrtpPacketIndex.MaxRtpIndex)
            {
                return SrtpResult.IndexExhausted;
            }

            ahead = index - known.RtpHighestIndex;
            if (ahead <= 0)
            {
                if (-ahead >= SrtpReplayWindow.Size)
                {
                    return SrtpResult.TooOld;
                }

                if (known.RtpWindow.Contains(-ahead))
                {
                    return SrtpResult.Replayed;
                }
            }
        }

        var roc = (uint)(index >> 16);
        var end = length - tagLength;
        var payload = buffer[headerLength..end];
        var tag = buffer[end..length];
        if (Profile.IsAead)
        {
            Span<byte> nonce = stackalloc byte[AesGcmCipher.NonceLength];
            RtpGcmNonce(nonce, ssrc, roc, seq);
            if (!_rtpGcm!.Decrypt(nonce, payload, tag, buffer[..headerLength]))
            {
                return SrtpResult.AuthenticationFailed;
            }
        }
        else
        {
            Span<byte> rocBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
            Span<byte> mac = stackalloc byte[HmacSha1.MacLength];
            _rtpAuth!.Compute(buffer[..end], rocBytes, mac);
            if (!CryptographicOperations.FixedTimeEquals(mac[..tagLength], tag))
            {
                return SrtpResult.AuthenticationFailed;
            }

            Span<byte> iv = stackalloc byte[16];
            CounterModeIv(iv, _rtpSalt, ssrc, index);
            _rtpCipher!.XorKeystream(iv, payload);
        }

        // Authenticated: only now may the packet change the stream (RFC 3711 §3.3.1, §3.3.2).
        if (slot < 0)
        {
            slot = _streams.Claim(ssrc, evict: true);
        }

        ref var stream = ref _streams[slot];
        SrtpStream.Accept(ref stream.RtpStarted, ref stream.RtpHighestIndex, ref stream.RtpWindow, index, ahead);

        _streams.Touch(slot);
        plainLength = end;
        return SrtpResult.Ok;
    }

    /// <summary>RFC 3550 §5.1 header checks, leaving <paramref name="reserved"/> trailing bytes (the tag) untouched.</summary>
    private static SrtpResult ReadRtpHeader(ReadOnlySpan<byte> packet, int reserved, out uint ssrc, out ushort seq,
        out int headerLength)
    {
        ssrc = 0;
        seq = 0;
        headerLength = 0;
        if (packet.Length < RtpHeader.FixedSize + reserved)
        {
            return SrtpResult.TooShort;
        }

        if (packet[0] >> 6 != 2)
        {
            return SrtpResult.BadHeader;
        }

        var available = packet.Length - reserved;
        var length = RtpHeader.FixedSize + ((packet[0] & 0x0F) * 4);
        if ((packet[0] & 0x10) != 0)
        {
            if (available < length + 4)
            {
                return SrtpResult.BadHeader;
            }

            length += 4 + (BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]) * 4);
        }

        if (length > available)
        {
            return SrtpResult.BadHeader;
        }

        seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        headerLength = length;
        return SrtpResult.Ok;
    }

    /// <summary>RFC 3711 §4.1.1: IV = (k_s * 2^16) XOR (SSRC * 2^64) XOR (i * 2^16).</summary>
    private static void CounterModeIv(Span<byte> iv, ReadOnlySpan<byte> salt, uint ssrc, long index)
    {
        salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[4..],
            BinaryPrimitives.ReadUInt32BigEndian(iv[4..]) ^ ssrc);
        var high = (uint)(index >> 16);
        var low = (ushort)index;
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], BinaryPrimitives.ReadUInt32BigEndian(iv[8..]) ^ high);
        BinaryPrimitives.WriteUInt16BigEndian(iv[12..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(iv[12..]) ^ low));
    }

    /// <summary>RFC 7714 §8.1: IV = (0x0000 || SSRC || ROC || SEQ) XOR salt.</summary>
    private void RtpGcmNonce(Span<byte> nonce, uint ssrc, uint roc, ushort seq)
    {
        _rtpSalt.CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[2..], BinaryPrimitives.ReadUInt32BigEndian(nonce[2..]) ^ ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[6..], BinaryPrimitives.ReadUInt32BigEndian(nonce[6..]) ^ roc);
        BinaryPrimitives.WriteUInt16BigEndian(nonce[10..], (ushort)(BinaryPrimitives.ReadUInt16BigEndian(nonce[10..]) ^ seq));
    }
}
