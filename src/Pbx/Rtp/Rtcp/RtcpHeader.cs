using System.Buffers.Binary;

namespace Telephony.Pbx.Rtp.Rtcp;

/// <summary>
/// The 4-byte common header of every RTCP packet (RFC 3550 §6.4.1): V=2, P, a 5-bit count (RC/SC), the packet type
/// and the length in 32-bit words minus one.
/// </summary>
public readonly struct RtcpHeader
{
    public const int Size = 4;

    public RtcpHeader(RtcpPacketType packetType, int count, int packetLengthBytes, bool padding = false)
    {
        PacketType = packetType;
        Count = count;
        PacketLengthBytes = packetLengthBytes;
        Padding = padding;
    }

    public RtcpPacketType PacketType { get; }

    /// <summary>Reception report count, source count or subtype, depending on the type.</summary>
    public int Count { get; }

    /// <summary>Whole packet length in bytes, header included ((length field + 1) * 4).</summary>
    public int PacketLengthBytes { get; }

    public bool Padding { get; }

    /// <summary>Reads the header; never throws. Fails on short input, version != 2 or a length past the end.</summary>
    public static bool TryRead(ReadOnlySpan<byte> data, out RtcpHeader header)
    {
        header = default;
        if (data.Length < Size || data[0] >> 6 != 2)
        {
            return false;
        }

        var length = (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) + 1) * 4;
        if (length > data.Length)
        {
            return false;
        }

        header = new RtcpHeader((RtcpPacketType)data[1], data[0] & 0x1F, length, (data[0] & 0x20) != 0);
        return true;
    }

    public bool TryWrite(Span<byte> destination)
    {
        if (destination.Length < Size || PacketLengthBytes % 4 != 0 || Count > 31)
        {
            return false;
        }

        destination[0] = (byte)(0x80 | (Padding ? 0x20 : 0) | Count);
        destination[1] = (byte)PacketType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((PacketLengthBytes / 4) - 1));
        return true;
    }
}
