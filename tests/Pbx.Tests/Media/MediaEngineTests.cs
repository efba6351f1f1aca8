using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Codecs;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Rtp.Rtcp;

namespace Telephony.Pbx.Tests.Media;

/// <summary>Engine tests over real loopback UDP sockets; time is a FakeTimeProvider and ticks are driven by hand.</summary>
public sealed class MediaEngineTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MediaEngine _engine;
    private readonly List<IDisposable> _disposables = [];

    public MediaEngineTests()
    {
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            PortMin = 41000,
            PortMax = 44999,
            LoopCount = 1,
            RtpTimeout = TimeSpan.FromSeconds(10),
        }, time: _time);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _disposables)
        {
            d.Dispose();
        }

        await _engine.DisposeAsync();
    }

    private FarEnd NewFarEnd(uint ssrc = 0x11223344)
    {
        var f = new FarEnd(ssrc);
        _disposables.Add(f);
        return f;
    }

    private void Tick(int count = 1)
    {
        for (var i = 0; i < count; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            _engine.TickAll(_time.GetTimestamp());
        }
    }

    private static short[] Sine(int frame, double hz = 400, double amplitude = 8000)
    {
        var pcm = new short[160];
        for (var i = 0; i < 160; i++)
        {
            pcm[i] = (short)(amplitude * Math.Sin(2 * Math.PI * hz * ((frame * 160) + i) / 8000));
        }

        return pcm;
    }

    private static short[] Decode(byte pt, byte[] payload)
    {
        var pcm = new short[payload.Length];
        if (pt == 8)
        {
            ALaw.Decode(payload, pcm);
        }
        else
        {
            MuLaw.Decode(payload, pcm);
        }

        return pcm;
    }

    private static int Rms(short[] pcm) => (int)Math.Sqrt(pcm.Average(s => (double)s * s));

    [Fact]
    public void Silence_session_sends_a_packet_every_tick_with_own_ssrc_continuous_seq_and_marker_first()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("call-1");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        Tick(5);
        var packets = far.DrainRtp();
        Assert.Equal(5, packets.Count);
        Assert.True(packets[0].Header.Marker);
        Assert.All(packets.Skip(1), p => Assert.False(p.Header.Marker));
        Assert.All(packets, p => Assert.Equal(s.Ssrc, p.Header.Ssrc));
        for (var i = 1; i < packets.Count; i++)
        {
            Assert.Equal((ushort)(packets[i - 1].Header.SequenceNumber + 1), packets[i].Header.SequenceNumber);
            Assert.Equal(packets[i - 1].Header.Timestamp + 160, packets[i].Header.Timestamp);
        }

        Assert.All(packets, p => Assert.All(p.Payload, b => Assert.Equal(0xFF, b))); // PCMU silence
        Assert.Equal(5, s.GetStats().PacketsSent);
    }

    [Fact]
    public void Bridge_passes_audio_and_transcodes_PCMU_to_PCMA_and_back()
    {
        var farA = NewFarEnd(1);
        var farB = NewFarEnd(2);
        var a = _engine.CreateSession("a");
        var b = _engine.CreateSession("b", sameLoopAs: a);
        a.Configure(new RtpSessionParameters(farA.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        b.Configure(new RtpSessionParameters(farB.EndPoint, AudioCodec.Pcma, 8, null, MediaDirection.SendRecv));
        a.SetSource(new BridgeSource(b));
        b.SetSource(new BridgeSource(a));
        Tick();
        farA.DrainRtp();
        farB.DrainRtp();
        for (var frame = 0; frame < 20; frame++)
        {
            farA.SendPcmu(a.LocalRtpPort, Sine(frame, 400));
            var pcmB = Sine(frame, 1000, 6000);
            var codes = new byte[160];
            ALaw.Encode(pcmB, codes);
            farB.SendRtp(b.LocalRtpPort, 8, codes);
            Tick();
        }

        var atB = farB.DrainRtp();
        var atA = farA.DrainRtp();
        Assert.Equal(20, atB.Count);
        Assert.All(atB, p => Assert.Equal(8, p.Header.PayloadType));
        Assert.All(atA, p => Assert.Equal(0, p.Header.PayloadType));
        Assert.All(atB, p => Assert.Equal(b.Ssrc, p.Header.Ssrc));

        // After the jitter buffer fills, B's far end hears A's 400 Hz sine (transcoded), frame for frame.
        var audible = atB.Select(p => Decode(8, p.Payload)).Where(f => Rms(f) > 1000).ToList();
        Assert.True(audible.Count >= 15, $"only {audible.Count} audible frames");
        var delay = 20 - audible.Count;
        for (var k = 0; k < audible.Count; k++)
        {
            var expected = Sine(k, 400);
            for (var i = 0; i < 160; i++)
            {
                Assert.InRange(audible[k][i] - expected[i], -600, 600);
            }
        }

        Assert.InRange(delay, 1, 5);
        var audibleAtA = atA.Select(p => Decode(0, p.Payload)).Where(f => Rms(f) > 1000).ToList();
        Assert.InRange(Rms(audibleAtA[0]), 3800, 4700); // 6000 peak sine, PCMA -> PCMU
    }

    [Fact]
    public void Echo_returns_what_it_hears()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("echo");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        s.SetSource(EchoSource.Instance);
        Tick();
        far.DrainRtp();
        for (var frame = 0; frame < 10; frame++)
        {
            far.SendPcmu(s.LocalRtpPort, Sine(frame, 300));
            Tick();
        }

        var echoed = far.DrainRtp().Select(p => Decode(0, p.Payload)).Where(f => Rms(f) > 1000).ToList();
        Assert.True(echoed.Count >= 7);
        Assert.Equal(MuLawRoundTrip(Sine(0, 300)), echoed[0]);
        Assert.Equal(10, s.GetStats().PacketsReceived);
    }

    private static short[] MuLawRoundTrip(short[] pcm)
    {
        var codes = new byte[pcm.Length];
        MuLaw.Encode(pcm, codes);
        var back = new short[pcm.Length];
        MuLaw.Decode(codes, back);
        return back;
    }

    [Fact]
    public async Task Prompt_then_echo_and_onFinished_on_the_thread_pool()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("prompt");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        var clip = new AudioClip("beep", Sine(0, 1000).Concat(Sine(1, 1000)).Concat(Sine(2, 1000)).ToArray());
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.SetSource(new PromptSource(clip, EchoSource.Instance, () => finished.SetResult()));
        Tick(3);
        var prompt = far.DrainRtp().Select(p => Decode(0, p.Payload)).ToList();
        Assert.Equal(3, prompt.Count);
        Assert.Equal(MuLawRoundTrip(Sine(1, 1000)), prompt[1]);
        await finished.Task.WaitAsync(TimeSpan.FromSeconds(5));

        for (var frame = 0; frame < 6; frame++)
        {
            far.SendPcmu(s.LocalRtpPort, Sine(frame, 300));
            Tick();
        }

        var after = far.DrainRtp().Select(p => Decode(0, p.Payload)).Where(f => Rms(f) > 1000).ToList();
        Assert.Contains(after, f => f.SequenceEqual(MuLawRoundTrip(Sine(0, 300))));
    }

    [Fact]
    public async Task RFC4733_digits_in_raise_one_event_each()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("dtmf-in");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, 101, MediaDirection.SendRecv));
        var digits = new List<char>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.DigitReceived += (_, d) =>
        {
            lock (digits)
            {
                digits.Add(d);
                if (digits.Count == 2)
                {
                    done.TrySetResult();
                }
            }
        };
        Tick();
        var payload = new byte[4];
        uint ts = 90000;
        foreach (var digit in "4#")
        {
            var sender = new DtmfSender();
            sender.Start(digit, 100, ts);
            while (sender.TryWriteNext(payload, out _, out var marker, out var eventTs))
            {
                far.SendRtp(s.LocalRtpPort, 101, payload, marker, eventTs);
                Tick();
            }

            ts += 2000;
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Tick(3);
        await Task.Delay(50);
        lock (digits)
        {
            Assert.Equal("4#", new string(digits.ToArray()));
        }
    }

    [Fact]
    public async Task In_band_DTMF_is_detected_when_no_telephone_event_was_negotiated()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("inband");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        var got = new TaskCompletionSource<char>(TaskCreationOptions.RunContinuationsAsynchronously);
        s.DigitReceived += (_, d) => got.TrySetResult(d);
        var tone = new ToneGenerator();
        tone.StartDtmf('9', 120, 100);
        var frame = new short[160];
        for (var i = 0; i < 20; i++)
        {
            if (!tone.Render(frame))
            {
                Array.Clear(frame);
            }

            far.SendPcmu(s.LocalRtpPort, frame);
            Tick();
        }

        Assert.Equal('9', await got.Task.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void SendDtmf_sends_RFC4733_sequence_when_negotiated()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("dtmf-out");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcma, 8, 101, MediaDirection.SendRecv));
        Tick(2);
        far.DrainRtp();
        s.SendDtmf('5', 100);
        Tick(10);
        var packets = far.DrainRtp();
        var events = packets.Where(p => p.Header.PayloadType == 101).ToList();
        Assert.Equal(7, events.Count); // 4 growing + 3 ends
        Assert.True(events[0].Header.Marker);
        Assert.All(events, e => Assert.Equal(events[0].Header.Timestamp, e.Header.Timestamp));
        Assert.All(events, e => Assert.Equal(5, e.Payload[0]));
        Assert.Equal(3, events.Count(e => (e.Payload[1] & 0x80) != 0));
        var seqs = packets.Select(p => (int)p.Header.SequenceNumber).ToList();
        Assert.Equal(Enumerable.Range(seqs[0], seqs.Count).Select(x => x & 0xFFFF), seqs);
        Assert.Equal(8, packets.Last().Header.PayloadType); // audio resumes
    }

    [Fact]
    public void SendDtmf_plays_in_band_without_telephone_event()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("dtmf-inband-out");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        s.SendDtmf('8', 100);
        Tick(12);
        var detector = new GoertzelDtmfDetector();
        var detected = far.DrainRtp().Select(p => detector.Process(Decode(0, p.Payload))).Where(d => d != '\0');
        Assert.Equal(['8'], detected);
    }

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
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(IPAddress.Loopback, port)); // free again
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
        far.Rtp.SendTo(new byte[] { 0x80, 0, 0 }, new IPEndPoint(IPAddress.Loopback, s.LocalRtpPort));
        far.Rtp.SendTo(new byte[] { 0x40, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1 }, new IPEndPoint(IPAddress.Loopback, s.LocalRtpPort));
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
        await using var small = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            PortMin = 45100,
            PortMax = 45103,
            LoopCount = 1,
        }, time: _time);
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
        var toA = new IPEndPoint(IPAddress.Loopback, a.LocalRtpPort).Serialize();
        var toB = new IPEndPoint(IPAddress.Loopback, b.LocalRtpPort).Serialize();
        var sink = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        long allocated = 0;
        for (var i = 0; i < 3000; i++)
        {
            WriteRtp(packetA, 0, (ushort)i, (uint)(i * 160), 1);
            WriteRtp(packetB, 8, (ushort)(60000 + i), (uint)(i * 160), 2);
            farA.Rtp.SendTo(packetA, SocketFlags.None, toA);
            farB.Rtp.SendTo(packetB, SocketFlags.None, toB);
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

            while (farA.Rtp.Available > 0)
            {
                farA.Rtp.ReceiveFrom(sink, SocketFlags.None, from);
            }

            while (farB.Rtp.Available > 0)
            {
                farB.Rtp.ReceiveFrom(sink, SocketFlags.None, from);
            }
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
