using System.Buffers.Binary;

namespace Telephony.Pbx.Rtp;

/// <summary>
/// RTP fixed header (RFC 3550 §5.1), read as a view over the packet: the payload stays a slice of the receive
/// buffer (<c>packet[headerLength..(packet.Length - PaddingLength)]</c>). CSRC entries and the header extension
/// (§5.3.1) are validated and skipped on read; <see cref="TryWrite"/> writes the 12-byte fixed header only.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// </code>
/// </remarks>
public readonly struct RtpHeader
{
    /// <summary>Length of the fixed header in bytes.</summary>
    public const int FixedSize = 12;

    public RtpHeader(byte payloadType, ushort sequenceNumber, uint timestamp, uint ssrc, bool marker = false)
    {
        PayloadType = (byte)(payloadType & 0x7F);
        SequenceNumber = sequenceNumber;
        Timestamp = timestamp;
        Ssrc = ssrc;
        Marker = marker;
        CsrcCount = 0;
        HasExtension = false;
        PaddingLength = 0;
        ExtensionProfile = 0;
    }

    private RtpHeader(byte pt, ushort seq, uint ts, uint ssrc, bool marker, int csrcCount, bool hasExtension,
        ushort extensionProfile, int paddingLength)
    {
        PayloadType = pt;
        SequenceNumber = seq;
        Timestamp = ts;
        Ssrc = ssrc;
        Marker = marker;
        CsrcCount = csrcCount;
        HasExtension = hasExtension;
        ExtensionProfile = extensionProfile;
        PaddingLength = paddingLength;
    }

    public byte PayloadType { get; }
    public ushort SequenceNumber { get; }
    public uint Timestamp { get; }
    public uint Ssrc { get; }
    public bool Marker { get; }
    public int CsrcCount { get; }
    public bool HasExtension { get; }
    public ushort ExtensionProfile { get; }

    /// <summary>Number of padding bytes at the end of the packet (including the count byte), 0 when P is clear.</summary>
    public int PaddingLength { get; }

    /// <summary>Bytes <see cref="TryWrite"/> produces.</summary>
    public int Size => FixedSize;

    /// <summary>Reads and validates a header; never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtpHeader header, out int headerLength) =>
        Read(packet, out header, out headerLength) == RtpParseError.None;

    /// <summary>Reads and validates a header, returning why it was rejected; never throws.</summary>
    public static RtpParseError Read(ReadOnlySpan<byte> packet, out RtpHeader header, out int headerLength)
    {
        header = default;
        headerLength = 0;
        if (packet.Length < FixedSize)
        {
            return RtpParseError.TooShort;
        }

        var b0 = packet[0];
        if (b0 >> 6 != 2)
        {
            return RtpParseError.BadVersion;
        }

        var padding = (b0 & 0x20) != 0;
        var extension = (b0 & 0x10) != 0;
        var cc = b0 & 0x0F;
        var length = FixedSize + (cc * 4);
        if (packet.Length < length)
        {
            return RtpParseError.CsrcTruncated;
        }

        ushort profile = 0;
        if (extension)
        {
            if (packet.Length < length + 4)
            {
                return RtpParseError.ExtensionTruncated;
            }

            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[length..]);
            var words = BinaryPrimitives.ReadUInt16BigEndian(packet[(length + 2)..]);
            length += 4 + (words * 4);
            if (packet.Length < length)
            {
                return RtpParseError.ExtensionTruncated;
            }
        }

        var paddingLength = 0;
        if (padding)
        {
            paddingLength = packet[^1];
            if (paddingLength == 0 || length + paddingLength > packet.Length)
            {
                return RtpParseError.BadPadding;
            }
        }

        header = new RtpHeader(
            (byte)(packet[1] & 0x7F),
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            (packet[1] & 0x80) != 0,
            cc,
            extension,
            profile,
            paddingLength);
        headerLength = length;
        return RtpParseError.None;
    }

    /// <summary>Writes the 12-byte fixed header (V=2, no padding, extension or CSRC).</summary>
    public bool TryWrite(Span<byte> destination, out int written)
    {
        if (destination.Length < FixedSize)
        {
            written = 0;
            return false;
        }

        destination[0] = 0x80;
        destination[1] = (byte)((Marker ? 0x80 : 0) | PayloadType);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], SequenceNumber);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Timestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Ssrc);
        written = FixedSize;
        return true;
    }

    /// <summary>The payload of <paramref name="packet"/> given this header and its length.</summary>
    public ReadOnlySpan<byte> GetPayload(ReadOnlySpan<byte> packet, int headerLength) =>
        packet[headerLength..(packet.Length - PaddingLength)];
}
