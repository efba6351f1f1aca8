using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Rtp.Rtcp;

namespace Telephony.Pbx.Media;

/// <content>Tick phase (d): read RTCP, send SR/RR + SDES every interval, BYE on close (RFC 3550 §6).</content>
public sealed partial class RtpSession
{
    private const long NtpUnixOffsetSeconds = 2208988800;

    /// <summary>Epoll path: the loop saw the RTCP socket readable; read one datagram.</summary>
    internal void ReceiveOneRtcp(long now)
    {
        var loop = Loop;
        var buffer = loop.ReceiveBuffer;
        var address = loop.ReceiveAddress;
        var length = ReadinessPoller.TryReceiveFrom(RtcpFd, buffer, address);
        if (length < 0)
        {
            return;
        }

        loop.PacketsIn++;
        HandleRtcp(buffer.AsSpan(0, length), address, now);
    }

    internal void RtcpPhase(long now)
    {
        var loop = Loop;
        var buffer = loop.ReceiveBuffer;
        var address = loop.ReceiveAddress;
        while (!loop.PollsReadiness && _rtcp.Available > 0)
        {
            int length;
            try
            {
                length = _rtcp.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException)
            {
                break;
            }

            loop.PacketsIn++;
            HandleRtcp(buffer.AsSpan(0, length), address, now);
        }

        if (_configured && now >= _nextRtcpAt)
        {
            _nextRtcpAt = now + _rtcpIntervalTicks;
            SendRtcpReport(now, bye: false);
        }
    }

    private void HandleRtcp(ReadOnlySpan<byte> data, SocketAddress source, long now)
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
                    UseReportBlock(sr.GetReportBlock(i));
                }
            }
            else if (header.PacketType == RtcpPacketType.ReceiverReport && RtcpReceiverReport.TryRead(packet, out var rr))
            {
                for (var i = 0; i < rr.ReportCount; i++)
                {
                    UseReportBlock(rr.GetReportBlock(i));
                }
            }
        }

        if (!reader.IsValid)
        {
            Loop.CountDrop(MediaDropReason.RtcpMalformed);
            return;
        }

        _rtcpReceived++;
        if (_rtcpRemote is null || !source.Equals(_rtcpRemote))
        {
            // Symmetric RTCP: answer where reports come from (rare; allocation acceptable).
            var copy = new SocketAddress(source.Family, source.Size);
            Copy(source, copy);
            _rtcpRemote = copy;
        }
    }

    private void UseReportBlock(in ReportBlock block)
    {
        if (block.Ssrc != _ssrc)
        {
            return;
        }

        _remoteFractionLost = block.FractionLost;
        _remoteCumulativeLost = block.CumulativeLost;
        _remoteJitter = block.Jitter;
    }

    /// <summary>Writes SR (when we have sent) or RR, SDES CNAME, optionally BYE, and sends the compound.</summary>
    private void SendRtcpReport(long now, bool bye)
    {
        if (_rtcpRemote is null)
        {
            return;
        }

        Span<ReportBlock> blocks = stackalloc ReportBlock[1];
        var blockCount = 0;
        if (_receiveStatistics.HasSource && _receiveStatistics.Received > 0)
        {
            uint delaySinceLastSr = 0;
            if (_lastSrAt != 0)
            {
                delaySinceLastSr = (uint)((now - _lastSrAt) * 65536 / Loop.Time.TimestampFrequency);
            }

            blocks[0] = new ReportBlock(_receiveStatistics.Ssrc, _receiveStatistics.TakeFractionLost(),
                _receiveStatistics.CumulativeLost, _receiveStatistics.ExtendedHighestSequence,
                _receiveStatistics.Jitter, _lastSrCompact, delaySinceLastSr);
            blockCount = 1;
        }

        var buffer = Loop.SendBuffer.AsSpan();
        int offset;
        if (_packetsSent > 0)
        {
            var sr = new RtcpSenderReport(_ssrc, NtpNow(), _timestamp, (uint)_packetsSent, (uint)_octetsSent,
                blocks[..blockCount]);
            sr.TryWrite(buffer, out offset);
        }
        else
        {
            new RtcpReceiverReport(_ssrc, blocks[..blockCount]).TryWrite(buffer, out offset);
        }

        new RtcpSdes(_ssrc, Cname).TryWrite(buffer[offset..], out var written);
        offset += written;
        if (bye)
        {
            new RtcpBye(_ssrc).TryWrite(buffer[offset..], out written);
            offset += written;
        }

        try
        {
            _rtcp.SendTo(buffer[..offset], SocketFlags.None, _rtcpRemote);
            _rtcpSent++;
            Loop.PacketsOut++;
        }
        catch (SocketException)
        {
            Loop.CountDrop(MediaDropReason.SendFailed);
        }
    }

    private ulong NtpNow()
    {
        var unixTicks = Loop.Time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks;
        var seconds = (ulong)(unixTicks / TimeSpan.TicksPerSecond) + NtpUnixOffsetSeconds;
        var fraction = (ulong)(unixTicks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }
}
