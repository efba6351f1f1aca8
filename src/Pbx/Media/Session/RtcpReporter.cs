using Telephony.Pbx.Rtp.Rtcp;

namespace Telephony.Pbx.Media.Session;

/// <summary>
/// RTCP for one session (RFC 3550 §6): reads the peer's SR/RR and keeps its report block about our stream
/// (§6.4), and writes our compound every interval, a sender report when we have sent (§6.4.1) else a receiver
/// report (§6.4.2), with a report block about the peer's stream (LSR/DLSR from its last SR), SDES CNAME (§6.5) and,
/// on close, BYE (§6.6). The first report goes out half an interval after configuration. Loop thread only.
/// </summary>
internal sealed class RtcpReporter
{
    private const long NtpUnixOffsetSeconds = 2208988800;

    private readonly TimeProvider _time;
    private readonly long _intervalTicks;
    private readonly byte[] _cname;
    private long _nextAt = long.MaxValue;
    private uint _lastSrCompact;
    private long _lastSrAt;

    // Counters and the peer's view of our stream (written by the loop, read by any thread).
    public long ReportsSent;
    public long ReportsReceived;
    public byte RemoteFractionLost;
    public int RemoteCumulativeLost;
    public uint RemoteJitter;

    public RtcpReporter(TimeProvider time, TimeSpan interval, byte[] cname)
    {
        _time = time;
        _intervalTicks = (long)(interval.TotalSeconds * time.TimestampFrequency);
        _cname = cname;
    }

    /// <summary>First configuration: the first report is due half an interval from <paramref name="now"/>.</summary>
    public void Start(long now) => _nextAt = now + (_intervalTicks / 2);

    /// <summary>True when a periodic report is due; schedules the next one.</summary>
    public bool TakeDue(long now)
    {
        if (now < _nextAt)
        {
            return false;
        }

        _nextAt = now + _intervalTicks;
        return true;
    }

    /// <summary>One inbound RTCP compound; false when malformed (nothing kept, caller counts the drop).</summary>
    public bool OnCompound(ReadOnlySpan<byte> data, uint ourSsrc, long now)
    {
        var reader = new RtcpCompoundReader(data);
        while (reader.TryReadNext(out var header, out var packet))
        {
            if (header.PacketType == RtcpPacketType.SenderReport && RtcpSenderReport.TryRead(packet, out var sr))
            {
                _lastSrCompact = sr.CompactNtp;
                _lastSrAt = now;
                for (var i = 0; i < sr.ReportCount; i++)
                {
                    Use(sr.GetReportBlock(i), ourSsrc);
                }
            }
            else if (header.PacketType == RtcpPacketType.ReceiverReport && RtcpReceiverReport.TryRead(packet, out var rr))
            {
                for (var i = 0; i < rr.ReportCount; i++)
                {
                    Use(rr.GetReportBlock(i), ourSsrc);
                }
            }
        }

        if (!reader.IsValid)
        {
            return false;
        }

        ReportsReceived++;
        return true;
    }

    /// <summary>Writes SR (we have sent) or RR, SDES CNAME and optionally BYE into <paramref name="buffer"/>.</summary>
    public int Write(Span<byte> buffer, long now, RtpSender sender, RtpReceiver receiver, bool bye)
    {
        Span<ReportBlock> blocks = stackalloc ReportBlock[1];
        var blockCount = 0;
        var statistics = receiver.Statistics;
        if (statistics.HasSource && statistics.Received > 0)
        {
            uint delaySinceLastSr = 0;
            if (_lastSrAt != 0)
            {
                delaySinceLastSr = (uint)((now - _lastSrAt) * 65536 / _time.TimestampFrequency);
            }

            blocks[0] = new ReportBlock(statistics.Ssrc, statistics.TakeFractionLost(), statistics.CumulativeLost,
                statistics.ExtendedHighestSequence, statistics.Jitter, _lastSrCompact, delaySinceLastSr);
            blockCount = 1;
        }

        int offset;
        if (sender.PacketsSent > 0)
        {
            new RtcpSenderReport(sender.Ssrc, NtpNow(), sender.Timestamp, (uint)sender.PacketsSent,
                (uint)sender.OctetsSent, blocks[..blockCount]).TryWrite(buffer, out offset);
        }
        else
        {
            new RtcpReceiverReport(sender.Ssrc, blocks[..blockCount]).TryWrite(buffer, out offset);
        }

        new RtcpSdes(sender.Ssrc, _cname).TryWrite(buffer[offset..], out var written);
        offset += written;
        if (bye)
        {
            new RtcpBye(sender.Ssrc).TryWrite(buffer[offset..], out written);
            offset += written;
        }

        return offset;
    }

    private void Use(in ReportBlock block, uint ourSsrc)
    {
        if (block.Ssrc != ourSsrc)
        {
            return;
        }

        RemoteFractionLost = block.FractionLost;
        RemoteCumulativeLost = block.CumulativeLost;
        RemoteJitter = block.Jitter;
    }

    private ulong NtpNow()
    {
        var unixTicks = _time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = (ulong)(unixTicks / TimeSpan.TicksPerSecond) + NtpUnixOffsetSeconds;
        var fraction = (ulong)(unixTicks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
