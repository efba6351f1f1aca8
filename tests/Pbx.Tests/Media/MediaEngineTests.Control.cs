using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Rtp.Rtcp;

namespace Telephony.Pbx.Tests.Media;

/// <content>Control-plane behaviour: RTCP, BYE, latching, timeout, drops, hold, ports, allocation, faults.</content>
public abstract partial class MediaEngineTests
{
    [Fact]
    public void RTCP_SR_with_SDES_is_sent_and_remote_RR_is_reflected_in_stats()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("rtcp");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        for (var i = 0; i < 10; i++)
        {
            far.SendPcmu(s.LocalRtpPort, Sine(i));
            Tick();
        }

        Tick(150); // past the first interval (2.5 s)
        var reports = far.DrainRtcp();
        Assert.NotEmpty(reports);
        var reader = new RtcpCompoundReader(reports[0]);
        Assert.True(reader.TryReadNext(out var h, out var p));
        Assert.Equal(RtcpPacketType.SenderReport, h.PacketType);
        Assert.True(RtcpSenderReport.TryRead(p, out var sr));
        Assert.Equal(s.Ssrc, sr.Ssrc);
        Assert.True(sr.PacketCount >= 10);
        Assert.Equal(1, sr.ReportCount);
        Assert.Equal(far.Ssrc, sr.GetReportBlock(0).Ssrc);
        Assert.True(reader.TryReadNext(out h, out _));
        Assert.Equal(RtcpPacketType.SourceDescription, h.PacketType);

        var rr = new byte[32];
        ReadOnlySpan<ReportBlock> blocks = [new ReportBlock(s.Ssrc, 64, 12, 1000, 160, 0, 0)];
        new RtcpReceiverReport(far.Ssrc, blocks).TryWrite(rr, out _);
        far.SendRtcp(s.LocalRtpPort + 1, rr);
        Tick();
        var stats = s.GetStats();
        Assert.Equal(0.25, stats.RemoteFractionLost);
        Assert.Equal(12, stats.RemoteCumulativeLost);
        Assert.Equal(20, stats.RemoteJitterMs);
        Assert.Equal(1, stats.RtcpReceived);
    }

    [Fact]
    public void Dispose_sends_BYE_and_releases_the_ports()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("bye");
        var port = s.LocalRtpPort;
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick();
        far.DrainRtcp();
        s.Dispose();
        s.Dispose(); // idempotent
        var bye = far.DrainRtcp().Single();
        var reader = new RtcpCompoundReader(bye);
        var types = new List<RtcpPacketType>();
        while (reader.TryReadNext(out var h, out _))
        {
            types.Add(h.PacketType);
        }

        Assert.Equal([RtcpPacketType.SenderReport, RtcpPacketType.SourceDescription, RtcpPacketType.Bye], types);
        AssertPortFree(port);
        Assert.Equal(0, _engine.Stats.Sessions);
    }

    [Fact]
    public void Symmetric_RTP_latches_to_the_source_address_after_two_packets()
    {
        var signalled = NewFarEnd();
        var actual = NewFarEnd(77);
        var s = _engine.CreateSession("latch");
        s.Configure(new RtpSessionParameters(signalled.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick();
        Assert.Single(signalled.DrainRtp());
        actual.SendPcmu(s.LocalRtpPort, Sine(0));
        Tick();
        Assert.Single(signalled.DrainRtp());
        actual.SendPcmu(s.LocalRtpPort, Sine(1));
        Tick(2);
        Assert.Empty(signalled.DrainRtp());
        Assert.Equal(2, actual.DrainRtp().Count);
    }

    [Fact]
    public async Task RTP_timeout_is_raised_once()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("timeout");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        var count = 0;
        var fired = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.RtpTimedOut += _ =>
        {
            Interlocked.Increment(ref count);
            fired.TrySetResult();
        };
        Tick(400); // 8 s: not yet
        await Task.Delay(20);
        Assert.Equal(0, Volatile.Read(ref count));
        Tick(200);
        await fired.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Tick(100);
        await Task.Delay(50);
        Assert.Equal(1, Volatile.Read(ref count));
    }

    [Fact]
    public void Malformed_and_unknown_packets_are_dropped_and_counted()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("junk");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        far.SendRaw(s.LocalRtpPort, [0x80, 0, 0]);
        far.SendRaw(s.LocalRtpPort, [0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        far.SendRtp(s.LocalRtpPort, 96, new byte[160]);
        Tick();
        var dropped = _engine.Stats.Dropped;
        Assert.Equal(1, dropped[MediaDropReason.RtpTooShort]);
        Assert.Equal(1, dropped[MediaDropReason.RtpBadVersion]);
        Assert.Equal(1, dropped[MediaDropReason.UnknownPayloadType]);
    }

    [Fact]
    public void Inactive_session_sends_nothing_and_hold_resume_continues_sequence()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("hold");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick(2);
        var before = far.DrainRtp();
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.Inactive));
        Tick(5);
        Assert.Empty(far.DrainRtp());
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick();
        var after = far.DrainRtp().Single();
        Assert.Equal((ushort)(before[^1].Header.SequenceNumber + 1), after.Header.SequenceNumber);
        Assert.Equal(before[^1].Header.Timestamp + (6 * 160), after.Header.Timestamp);
    }

    [Fact]
    public async Task Ports_exhausted_throws_and_disposal_frees_a_pair()
    {
        await using var small = new MediaEngine(SmallRange(45100, 45103), time: _time);
        var a = small.CreateSession("a");
        var b = small.CreateSession("b");
        Assert.NotEqual(a.LocalRtpPort, b.LocalRtpPort);
        Assert.All(new[] { a, b }, x => Assert.Equal(0, x.LocalRtpPort % 2));
        Assert.Throws<MediaPortsExhaustedException>(() => small.CreateSession("c"));
        a.Dispose();
        var c = small.CreateSession("c");
        Assert.Equal(a.LocalRtpPort, c.LocalRtpPort);
    }

    [Fact]
    public void Steady_state_ticks_allocate_nothing()
    {
        var farA = NewFarEnd(1);
        var farB = NewFarEnd(2);
        var a = _engine.CreateSession("a");
        var b = _engine.CreateSession("b", sameLoopAs: a);
        a.Configure(new RtpSessionParameters(farA.EndPoint, AudioCodec.Pcmu, 0, 101, MediaDirection.SendRecv));
        b.Configure(new RtpSessionParameters(farB.EndPoint, AudioCodec.Pcma, 8, null, MediaDirection.SendRecv));
        a.SetSource(new BridgeSource(b));
        b.SetSource(new BridgeSource(a));

        // Preallocated far-end packets, sent with the non-allocating SocketAddress overloads.
        var packetA = new byte[172];
        var packetB = new byte[172];
        var toA = farA.SessionAddress(a.LocalRtpPort);
        var toB = farB.SessionAddress(b.LocalRtpPort);
        long allocated = 0;
        for (var i = 0; i < 3000; i++)
        {
            WriteRtp(packetA, 0, (ushort)i, (uint)(i * 160), 1);
            WriteRtp(packetB, 8, (ushort)(60000 + i), (uint)(i * 160), 2);
            farA.SendRaw(packetA, toA);
            farB.SendRaw(packetB, toB);
            _time.Advance(TimeSpan.FromMilliseconds(20));
            var now = _time.GetTimestamp();
            var before = GC.GetAllocatedBytesForCurrentThread();
            _engine.TickAll(now);
            var delta = GC.GetAllocatedBytesForCurrentThread() - before;
            if (i >= 500)
            {
                allocated += delta;
                if (delta != 0 && Environment.GetEnvironmentVariable("ALLOC_DEBUG") is not null)
                {
                    Console.Error.WriteLine($"tick {i}: {delta} bytes");
                }
            }

            farA.Discard();
            farB.Discard();
        }

        Assert.Equal(0, allocated);
        Assert.True(a.GetStats().PacketsReceived >= 2999);
        Assert.True(_engine.Stats.PacketsOut >= 6000);
    }

    private sealed class ThrowingSource : MediaSource
    {
        internal override void Render(RtpSession session, Span<short> output) =>
            throw new InvalidOperationException("boom");
    }

    [Fact]
    public void Exception_in_one_session_is_counted_and_does_not_stop_the_others()
    {
        var far1 = NewFarEnd(1);
        var far2 = NewFarEnd(2);
        var bad = _engine.CreateSession("bad");
        var good = _engine.CreateSession("good");
        bad.Configure(new RtpSessionParameters(far1.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        good.Configure(new RtpSessionParameters(far2.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        bad.SetSource(new ThrowingSource());
        Tick(10);
        Assert.Equal(10, far2.DrainRtp().Count);
        Assert.Empty(far1.DrainRtp());
        Assert.Equal(10, _engine.Stats.SessionErrors);
        bad.SetSource(SilenceSource.Instance);
        Tick();
        Assert.Single(far1.DrainRtp());
    }

    private static void WriteRtp(byte[] packet, byte pt, ushort seq, uint ts, uint ssrc)
    {
        new Telephony.Pbx.Rtp.RtpHeader(pt, seq, ts, ssrc).TryWrite(packet, out _);
        packet.AsSpan(12).Fill((byte)(pt == 8 ? 0xD5 : 0xFF));
        packet[20] = 0x20;
    }
}
