using System.Buffers.Binary;

namespace Telephony.Pbx.Rtp.Rtcp;

/// <summary>
/// RTCP receiver report, PT=201 (RFC 3550 §6.4.2): the reporter's SSRC plus reception report blocks, read as a view
/// over the packet or built from a span of blocks for sending.
/// </summary>
public readonly ref struct RtcpReceiverReport
{
    private readonly ReadOnlySpan<byte> _rawBlocks;
    private readonly ReadOnlySpan<ReportBlock> _blocks;

    public RtcpReceiverReport(uint ssrc, ReadOnlySpan<ReportBlock> blocks)
    {
        Ssrc = ssrc;
        _blocks = blocks;
        ReportCount = blocks.Length;
    }

    private RtcpReceiverReport(uint ssrc, ReadOnlySpan<byte> raw, int count)
    {
        Ssrc = ssrc;
        _rawBlocks = raw;
        ReportCount = count;
    }

    public uint Ssrc { get; }
    public int ReportCount { get; }

    /// <summary>Bytes <see cref="TryWrite"/> produces.</summary>
    public int Size => RtcpHeader.Size + 4 + (ReportCount * ReportBlock.Size);

    public ReportBlock GetReportBlock(int index)
    {
        if (!_blocks.IsEmpty)
        {
            return _blocks[index];
        }

        ReportBlock.TryRead(_rawBlocks[(index * ReportBlock.Size)..], out var block);
        return block;
    }

    /// <summary>Reads one RR packet (header included); never throws.</summary>
    public static bool TryRead(ReadOnlySpan<byte> packet, out RtcpReceiverReport report)
    {
        report = default;
        if (!RtcpHeader.TryRead(packet, out var header) || header.PacketType != RtcpPacketType.ReceiverReport)
        {
            return false;
        }

        var blocksLength = header.Count * ReportBlock.Size;
        if (header.PacketLengthBytes < RtcpHeader.Size + 4 + blocksLength)
        {
            return false;
        }

        report = new RtcpReceiverReport(BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            packet.Slice(8, blocksLength), header.Count);
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

        new RtcpHeader(RtcpPacketType.ReceiverReport, ReportCount, size).TryWrite(destination);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], Ssrc);
        for (var i = 0; i < ReportCount; i++)
        {
            GetReportBlock(i).TryWrite(destination[(8 + (i * ReportBlock.Size))..]);
        }

        written = size;
        return true;
    }
}
