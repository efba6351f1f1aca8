using System.Buffers.Binary;

namespace Telephony.Pbx.Rtp.Rtcp;

/// <summary>
/// RTCP source description, PT=202 (RFC 3550 §6.5), limited to what a PBX needs: the CNAME item (§6.5.1) of the first
/// chunk. Reading walks every item of the first chunk and ignores the others; writing emits one chunk with CNAME.
/// </summary>
public readonly ref struct RtcpSdes
{
    /// <summary>SDES item type of CNAME.</summary>
    public const byte CnameItem = 1;

    public RtcpSdes(uint ssrc, ReadOnlySpan<byte> cname)
    {
        Ssrc = ssrc;
        Cname = cname;
    }

    public uint Ssrc { get; }

    /// <summary>CNAME bytes (UTF-8), empty when absent.</summary>
    public ReadOnlySpan<byte> Cname { get; }

    /// <summary>Bytes <see cref="TryWrite"/> produces: header, SSRC, CNAME item, null terminator, padding to 32 bits.</summary>
    public int Size => RtcpHeader.Size + 4 + (((2 + Math.Min(Cname.Length, 255) + 1) + 3) & ~3);

    public static bool TryRead(ReadOnlySpan<byte> packet, out RtcpSdes sdes)
    {
        sdes = default;
        if (!RtcpHeader.TryRead(packet, out var header) || header.PacketType != RtcpPacketType.SourceDescription)
        {
            return false;
        }

        if (header.Count == 0)
        {
            return true;
        }

        var body = packet[..header.PacketLengthBytes];
        if (body.Length < 8)
        {
            return false;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(body[4..]);
        var offset = 8;
        while (offset < body.Length && body[offset] != 0)
        {
            if (offset + 2 > body.Length)
            {
                return false;
            }

            var type = body[offset];
            var length = body[offset + 1];
            if (offset + 2 + length > body.Length)
            {
                return false;
            }

            if (type == CnameItem)
            {
                sdes = new RtcpSdes(ssrc, body.Slice(offset + 2, length));
                return true;
            }

            offset += 2 + length;
        }

        sdes = new RtcpSdes(ssrc, default);
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var size = Size;
        if (destination.Length < size)
        {
            return false;
        }

        var cname = Cname.Length > 255 ? Cname[..255] : Cname;
        new RtcpHeader(RtcpPacketType.SourceDescription, 1, size).TryWrite(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        destination[8] = CnameItem;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);
        destination[(10 + cname.Length)..size].Clear(); // terminating null item plus padding
        written = size;
        return true;
    }
}
