using System.Buffers.Binary;

namespace Telephony.Pbx.Rtp.Rtcp;

/// <summary>
/// RTCP sender report, PT=200 (RFC 3550 §6.4.1): sender info plus reception report blocks. A read report keeps its
/// blocks as a view over the packet (<see cref="GetReportBlock"/>); a report built for sending holds a span of blocks.
/// </summary>
public readonly ref struct RtcpSenderReport
{
    private const int SenderInfoSize = 20; // NTP(8) RTP(4) packets(4) octets(4)
    private readonly ReadOnlySpan<byte> _rawBlocks;
    private readonly ReadOnlySpan<ReportBlock> _blocks;

    public RtcpSenderReport(uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount,
        ReadOnlySpan<ReportBlock> blocks)
    {
        Ssrc = ssrc;
        NtpTimestamp = ntpTimestamp;
        RtpTimestamp = rtpTimestamp;
        PacketCount = packetCount;
        OctetCount = octetCount;
        _blocks = blocks;
        ReportCount = blocks.Length;
    }

    private RtcpSenderReport(uint ssrc, ulong ntp, uint rtp, uint packets, uint octets, ReadOnlySpan<byte> raw, int rc)
    {
        Ssrc = ssrc;
        NtpTimestamp = ntp;
        RtpTimestamp = rtp;
        PacketCount = packets;
        OctetCount = octets;
        _rawBlocks = raw;
        ReportCount = rc;
    }

    public uint Ssrc { get; }

    /// <summary>64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low word).</summary>
    public ulong NtpTimestamp { get; }

    public uint RtpTimestamp { get; }
    public uint PacketCount { get; }
    public uint OctetCount { get; }
    public int ReportCount { get; }

    /// <summary>Bytes <see cref="TryWrite"/> produces.</summary>
    public int Size => RtcpHeader.Size + 4 + SenderInfoSize + (ReportCount * ReportBlock.Size);

    public ReportBlock GetReportBlock(int index)
    {
        if (!_blocks.IsEmpty)
        {
            return _blocks[index];
        }

        ReportBlock.TryRead(_rawBlocks[(index * ReportBlock.Size)..], out var block);
        return block;
    }

    /// <summary>Reads one SR packet (header included); never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtcpSenderReport report)
    {
        report = default;
        if (!RtcpHeader.TryRead(packet, out var header) || header.PacketType != RtcpPacketType.SenderReport)
        {
            return false;
        }

        var blocksLength = header.Count * ReportBlock.Size;
        if (header.PacketLengthBytes < RtcpHeader.Size + 4 + SenderInfoSize + blocksLength)
        {
            return false;
        }

        report = new RtcpSenderReport(
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt64BigEndian(packet[8..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[20..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[24..]),
            packet.Slice(28, blocksLength),
            header.Count);
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        var size = Size;
        if (destination.Length < size || ReportCount > 31)
        {
            return false;
        }

        new RtcpHeader(RtcpPacketType.SenderReport, ReportCount, size).TryWrite(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], NtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], RtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], PacketCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], OctetCount);
        for (var i = 0; i < ReportCount; i++)
        {
            GetReportBlock(i).TryWrite(destination[(28 + (i * ReportBlock.Size))..]);
        }

        written = size;
        return true;
    }

    /// <summary>The middle 32 bits of the NTP timestamp, as echoed in the LSR field of a report block (§6.4.1).</summary>
    public uint CompactNtp => (uint)(NtpTimestamp >> 16);
}
