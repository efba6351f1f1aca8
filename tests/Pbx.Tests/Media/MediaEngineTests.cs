using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp.Rtcp;

namespace Telephony.Pbx.Tests.Media;

/// <summary>
/// Engine tests over a media transport: real loopback UDP sockets (<see cref="UdpMediaEngineTests"/>) or the in-memory
/// network (<see cref="InMemoryMediaEngineTests"/>), the same tests for both. Time is a FakeTimeProvider and ticks are
/// driven by hand.
/// </summary>
public abstract partial class MediaEngineTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MediaEngine _engine;
    private readonly List<IDisposable> _disposables = [];
    private readonly InMemoryMediaNetwork? _network;

    /// <param name="inMemory">True: sessions and far ends on an <see cref="InMemoryMediaNetwork"/>; false: UDP.</param>
    private protected MediaEngineTests(bool inMemory)
    {
        _network = inMemory ? new InMemoryMediaNetwork(portMin: 41000, portMax: 44999) : null;
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            PortMin = 41000,
            PortMax = 44999,
            LoopCount = 1,
            RtpTimeout = TimeSpan.FromSeconds(10),
            Transport = _network,
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

    private IRtpFarEnd NewFarEnd(uint ssrc = 0x11223344)
    {
        IRtpFarEnd f = _network is null ? new FarEnd(ssrc) : new InMemoryFarEnd(_network, ssrc);
        _disposables.Add(f);
        return f;
    }

    /// <summary>The port can be bound again (the session released it).</summary>
    private void AssertPortFree(int port)
    {
        if (_network is null)
        {
            using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
        }
        else
        {
            _network.Bind(new IPEndPoint(_network.SessionAddress, port)).Dispose();
        }
    }

    private MediaEngineOptions SmallRange(int portMin, int portMax) => new()
    {
        BindAddress = IPAddress.Loopback,
        PortMin = portMin,
        PortMax = portMax,
        LoopCount = 1,
        Transport = _network is null ? null : new InMemoryMediaNetwork(portMin: portMin, portMax: portMax),
    };

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
    public async Task RFC4733_digits_on_the_alternate_telephone_event_payload_type_are_raised_too()
    {
        // Chromium answering our Opus offer sends its keys as telephone-event/8000 (PT 101), not /48000 (PT 110).
        var far = NewFarEnd();
        var s = _engine.CreateSession("dtmf-alternate");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, 110, MediaDirection.SendRecv)
        {
            AlternateTelephoneEventPayloadType = 101,
        });
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
        uint ts = 5000;
        foreach (var (digit, pt) in new[] { ('7', 101), ('*', 110) })
        {
            var sender = new DtmfSender();
            sender.Start(digit, 60, ts);
            while (sender.TryWriteNext(payload, out _, out var marker, out var eventTs))
            {
                far.SendRtp(s.LocalRtpPort, (byte)pt, payload, marker, eventTs);
                Tick();
            }

            ts += 2000;
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(5));
        lock (digits)
        {
            Assert.Equal("7*", new string(digits.ToArray()));
        }
        Assert.Equal(0, _engine.Stats.Dropped.GetValueOrDefault(MediaDropReason.UnknownPayloadType));
    }

    [Fact]
    public async Task RFC4733_digits_in_quick_succession_are_raised_in_order()
    {
        var far = NewFarEnd();
        var s = _engine.CreateSession("dtmf-order");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, 101, MediaDirection.SendRecv));
        const string sent = "0123456789*#ABCD";
        var digits = new List<char>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.DigitReceived += (_, d) =>
        {
            lock (digits)
            {
                digits.Add(d);
                if (digits.Count == sent.Length)
                {
                    done.TrySetResult();
                }
            }
        };
        Tick();
        var payload = new byte[4];
        uint ts = 1000;
        foreach (var digit in sent)
        {
            // One start packet per digit, one digit per tick: each becomes a digit event on the same tick.
            var sender = new DtmfSender();
            sender.Start(digit, 100, ts);
            sender.TryWriteNext(payload, out _, out var marker, out var eventTs);
            far.SendRtp(s.LocalRtpPort, 101, payload, marker, eventTs);
            Tick();
            ts += 1600;
        }

        await done.Task.WaitAsync(TimeSpan.FromSeconds(5));
        lock (digits)
        {
            Assert.Equal(sent, new string(digits.ToArray()));
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
    public async Task In_band_DTMF_is_not_detected_when_the_call_kind_turned_it_off()
    {
        var far = NewFarEnd();
        var off = _engine.CreateSession("inband-off");
        var on = _engine.CreateSession("inband-on"); // the control: same tone, same ticks, detection on
        off.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        on.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        off.DetectsInBandDigits = false;
        var digits = new List<char>();
        off.DigitReceived += (_, d) => { lock (digits) { digits.Add(d); } };
        var got = new TaskCompletionSource<char>(TaskCreationOptions.RunContinuationsAsynchronously);
        on.DigitReceived += (_, d) => got.TrySetResult(d);
        var tone = new ToneGenerator();
        tone.StartDtmf('9', 120, 100);
        var frame = new short[160];
        for (var i = 0; i < 20; i++)
        {
            if (!tone.Render(frame))
            {
                Array.Clear(frame);
            }

            far.SendPcmu(off.LocalRtpPort, frame);
            far.SendPcmu(on.LocalRtpPort, frame);
            Tick();
        }

        Assert.Equal('9', await got.Task.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.False(off.DetectsInBandDigits);
        lock (digits)
        {
            Assert.Empty(digits);
        }
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
}
