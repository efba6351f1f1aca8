using System.Buffers.Binary;

namespace Telephony.Pbx.Rtp.Rtcp;

/// <summary>RTCP BYE, PT=203 (RFC 3550 §6.6): the sources leaving and an optional reason.</summary>
public readonly ref struct RtcpBye
{
    private readonly ReadOnlySpan<byte> _rawSsrcs;
    private readonly uint _singleSsrc;

    /// <summary>A BYE for one source.</summary>
    public RtcpBye(uint ssrc, ReadOnlySpan<byte> reason = default)
    {
        _singleSsrc = ssrc;
        SourceCount = 1;
        Reason = reason.Length > 255 ? reason[..255] : reason;
    }

    private RtcpBye(ReadOnlySpan<byte> rawSsrcs, int count, ReadOnlySpan<byte> reason)
    {
        _rawSsrcs = rawSsrcs;
        SourceCount = count;
        Reason = reason;
    }

    public int SourceCount { get; }
    public ReadOnlySpan<byte> Reason { get; }

    /// <summary>Bytes <see cref="TryWrite"/> produces.</summary>
    public int Size => RtcpHeader.Size + (4 * SourceCount) + (Reason.IsEmpty ? 0 : (1 + Reason.Length + 3) & ~3);

    public uint GetSsrc(int index) =>
        _rawSsrcs.IsEmpty ? _singleSsrc : BinaryPrimitives.ReadUInt32BigEndian(_rawSsrcs[(index * 4)..]);

    public static bool TryRead(ReadOnlySpan<byte> packet, out RtcpBye bye)
    {
        bye = default;
        if (!RtcpHeader.TryRead(packet, out var header) || header.PacketType != RtcpPacketType.Bye)
        {
            return false;
        }

        var body = packet[..header.PacketLengthBytes];
        var end = RtcpHeader.Size + (4 * header.Count);
        if (end > body.Length)
        {
            return false;
        }

        ReadOnlySpan<byte> reason = default;
        if (end < body.Length)
        {
            var length = body[end];
            if (end + 1 + length > body.Length)
            {
                return false;
            }

            reason = body.Slice(end + 1, length);
        }

        bye = new RtcpBye(body[RtcpHeader.Size..end], header.Count, reason);
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var size = Size;
        if (destination.Length < size || SourceCount > 31)
        {
            return false;
        }

        new RtcpHeader(RtcpPacketType.Bye, SourceCount, size).TryWrite(destination);
        for (var i = 0; i < SourceCount; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 + (4 * i))..], GetSsrc(i));
        }

        var offset = 4 + (4 * SourceCount);
        if (!Reason.IsEmpty)
        {
            destination[offset] = (byte)Reason.Length;
            Reason.CopyTo(destination[(offset + 1)..]);
            destination[(offset + 1 + Reason.Length)..size].Clear();
        }

        written = size;
        return true;
    }
}
