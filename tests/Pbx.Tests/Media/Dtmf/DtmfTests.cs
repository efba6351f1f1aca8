using Telephony.Pbx.Media.Dtmf;

namespace Telephony.Pbx.Tests.Media.Dtmf;

public class DtmfTests
{
    private const string AllDigits = "0123456789*#ABCD";

    [Fact]
    public void TelephoneEvent_reads_RFC4733_layout()
    {
        byte[] payload = [0x05, 0x8A, 0x03, 0x20]; // event 5, E=1 R=0 volume 10, duration 800
        Assert.True(TelephoneEvent.TryRead(payload, out var e));
        Assert.Equal(new TelephoneEvent(5, true, 10, 800), e);
        var back = new byte[4];
        Assert.True(e.TryWrite(back, out var n));
        Assert.Equal(4, n);
        Assert.Equal(payload, back);
        Assert.False(TelephoneEvent.TryRead(payload.AsSpan(0, 3), out _));
    }

    [Fact]
    public void Receiver_reports_one_digit_for_start_continuations_and_three_ends()
    {
        var r = new DtmfReceiver();
        var digits = new List<char>();
        void Feed(uint ts, byte ev, bool end, ushort duration)
        {
            if (r.TryProcess(ts, new TelephoneEvent(ev, end, 10, duration), out var d))
            {
                digits.Add(d);
            }
        }

        Feed(1000, 1, false, 160); // start (marker)
        Feed(1000, 1, false, 320); // continuation
        Feed(1000, 1, false, 480);
        Feed(1000, 1, true, 640);  // end x3
        Feed(1000, 1, true, 640);
        Feed(1000, 1, true, 640);
        Feed(1000, 1, true, 640);  // a fourth, duplicated by the network
        Feed(2000, 11, false, 160);
        Feed(2000, 11, true, 320);
        Assert.Equal(['1', '#'], digits);
        Assert.Equal(7, r.DuplicatesSuppressed);
    }

    [Fact]
    public void Receiver_same_digit_twice_with_new_timestamp_is_two_digits()
    {
        var r = new DtmfReceiver();
        Assert.True(r.TryProcess(100, new TelephoneEvent(5, true, 10, 800), out _)); // start lost: end only
        Assert.False(r.TryProcess(100, new TelephoneEvent(5, true, 10, 800), out _));
        Assert.True(r.TryProcess(2000, new TelephoneEvent(5, false, 10, 160), out var d));
        Assert.Equal('5', d);
    }

    [Fact]
    public void Receiver_timestamp_wrap_gives_one_digit_each()
    {
        var r = new DtmfReceiver();
        var ts = uint.MaxValue - 100;
        Assert.True(r.TryProcess(ts, new TelephoneEvent(2, false, 10, 160), out _));
        Assert.False(r.TryProcess(ts, new TelephoneEvent(2, true, 10, 480), out _));
        Assert.True(r.TryProcess(ts + 1600, new TelephoneEvent(3, false, 10, 160), out var d)); // wrapped to ~1500
        Assert.Equal('3', d);
        Assert.False(r.TryProcess(ts + 1600, new TelephoneEvent(3, true, 10, 480), out _));
        Assert.False(r.TryProcess(ts, new TelephoneEvent(2, true, 10, 480), out _)); // late old end
    }

    [Fact]
    public void Receiver_SSRC_change_forgets_the_previous_event()
    {
        var r = new DtmfReceiver();
        Assert.True(r.TryProcess(1, 500000, new TelephoneEvent(1, false, 10, 160), out _));
        // New SSRC whose timestamps happen to be "older": still a new digit.
        Assert.True(r.TryProcess(2, 1000, new TelephoneEvent(1, false, 10, 160), out var d));
        Assert.Equal('1', d);
        Assert.False(r.TryProcess(2, 1000, new TelephoneEvent(1, true, 10, 480), out _));
    }

    [Fact]
    public void Receiver_long_event_segments_are_one_digit()
    {
        var r = new DtmfReceiver();
        Assert.True(r.TryProcess(0, new TelephoneEvent(9, false, 10, 65535), out _));
        Assert.False(r.TryProcess(65535, new TelephoneEvent(9, false, 10, 1000), out _));
        Assert.False(r.TryProcess(65535, new TelephoneEvent(9, true, 10, 2000), out _));
    }

    [Fact]
    public void Sender_produces_marker_same_timestamp_growing_duration_and_three_ends()
    {
        var s = new DtmfSender();
        Assert.True(s.Start('7', 100, 12345));
        var payload = new byte[4];
        var packets = new List<(bool Marker, uint Ts, TelephoneEvent Ev)>();
        while (s.TryWriteNext(payload, out _, out var marker, out var ts))
        {
            TelephoneEvent.TryRead(payload, out var e);
            packets.Add((marker, ts, e));
        }

        // 100 ms = 800 units: 160, 320, 480, 640 then 800 (end) x3
        Assert.Equal(7, packets.Count);
        Assert.True(packets[0].Marker);
        Assert.All(packets.Skip(1), p => Assert.False(p.Marker));
        Assert.All(packets, p => Assert.Equal(12345u, p.Ts));
        Assert.All(packets, p => Assert.Equal(7, p.Ev.Event));
        Assert.Equal([160, 320, 480, 640, 800, 800, 800], packets.Select(p => (int)p.Ev.Duration));
        Assert.Equal([false, false, false, false, true, true, true], packets.Select(p => p.Ev.End));
        Assert.False(s.IsActive);
    }

    [Fact]
    public void Sender_output_fed_to_receiver_gives_the_digits()
    {
        var s = new DtmfSender();
        var r = new DtmfReceiver();
        var payload = new byte[4];
        var got = new List<char>();
        uint ts = uint.MaxValue - 1000;
        foreach (var digit in AllDigits)
        {
            s.Start(digit, 120, ts);
            while (s.TryWriteNext(payload, out _, out _, out var t))
            {
                TelephoneEvent.TryRead(payload, out var e);
                if (r.TryProcess(t, e, out var d))
                {
                    got.Add(d);
                }

                ts += 160;
            }
        }

        Assert.Equal(AllDigits, new string(got.ToArray()));
    }

    [Theory]
    [InlineData('0')] [InlineData('1')] [InlineData('2')] [InlineData('3')] [InlineData('4')] [InlineData('5')]
    [InlineData('6')] [InlineData('7')] [InlineData('8')] [InlineData('9')] [InlineData('*')] [InlineData('#')]
    [InlineData('A')] [InlineData('B')] [InlineData('C')] [InlineData('D')]
    public void Every_generated_digit_is_detected_once(char digit)
    {
        var g = new ToneGenerator();
        var det = new GoertzelDtmfDetector();
        var frame = new short[160];
        var detected = new List<char>();
        Assert.True(g.StartDtmf(digit, 100, 100));
        for (var i = 0; i < 15; i++)
        {
            if (!g.Render(frame))
            {
                Array.Clear(frame);
            }

            var d = det.Process(frame);
            if (d != '\0')
            {
                detected.Add(d);
            }
        }

        Assert.Equal([digit], detected);
    }

    [Fact]
    public void Quiet_digit_at_minus_25_dBm0_is_detected_and_repeated_digits_each_count()
    {
        var g = new ToneGenerator();
        var det = new GoertzelDtmfDetector();
        var frame = new short[160];
        var detected = new List<char>();
        foreach (var digit in "5511")
        {
            g.StartDtmf(digit, 80, 80, amplitude: 1300);
            while (g.Render(frame))
            {
                var d = det.Process(frame);
                if (d != '\0')
                {
                    detected.Add(d);
                }
            }
        }

        Assert.Equal("5511", new string(detected.ToArray()));
    }

    [Fact]
    public void Single_1kHz_tone_is_not_detected()
    {
        var g = new ToneGenerator();
        var det = new GoertzelDtmfDetector();
        var frame = new short[160];
        g.StartTone(1000, 2000, 12000);
        while (g.Render(frame))
        {
            Assert.Equal('\0', det.Process(frame));
        }
    }

    [Fact]
    public void Single_row_tone_is_not_detected()
    {
        var g = new ToneGenerator();
        var det = new GoertzelDtmfDetector();
        var frame = new short[160];
        g.StartTone(770, 1000, 12000);
        while (g.Render(frame))
        {
            Assert.Equal('\0', det.Process(frame));
        }
    }

    [Fact]
    public void Speech_like_noise_is_not_detected()
    {
        // Voiced "speech": 120 Hz glottal pulse train with harmonics, amplitude-modulated, plus white noise.
        var random = new Random(1234);
        var det = new GoertzelDtmfDetector();
        var frame = new short[160];
        var n = 0;
        for (var f = 0; f < 500; f++)
        {
            for (var i = 0; i < frame.Length; i++, n++)
            {
                var t = n / 8000.0;
                var pitch = 110 + (30 * Math.Sin(2 * Math.PI * 0.7 * t));
                double v = 0;
                for (var h = 1; h <= 25; h++)
                {
                    v += Math.Sin(2 * Math.PI * pitch * h * t) / h;
                }

                var envelope = 0.5 + (0.5 * Math.Sin(2 * Math.PI * 3 * t));
                v = (v * 6000 * envelope) + ((random.NextDouble() - 0.5) * 3000);
                frame[i] = (short)Math.Clamp(v, short.MinValue, short.MaxValue);
            }

            Assert.Equal('\0', det.Process(frame));
        }
    }

    [Fact]
    public void White_noise_is_not_detected()
    {
        var random = new Random(5);
        var det = new GoertzelDtmfDetector();
        var frame = new short[160];
        for (var f = 0; f < 500; f++)
        {
            for (var i = 0; i < frame.Length; i++)
            {
                frame[i] = (short)random.Next(-12000, 12000);
            }

            Assert.Equal('\0', det.Process(frame));
        }
    }

    [Fact]
    public void Tone_generator_is_phase_continuous_across_frames()
    {
        var g = new ToneGenerator();
        g.StartTone(1000, 100, 10000);
        var whole = new short[320];
        g.Render(whole.AsSpan(0, 160));
        g.Render(whole.AsSpan(160, 160));
        for (var i = 0; i < whole.Length; i++)
        {
            var expected = 10000 * Math.Sin(2 * Math.PI * 1000 * i / 8000.0);
            Assert.InRange(whole[i] - expected, -2, 2);
        }
    }
}
