using System.Buffers.Binary;

namespace Telephony.Interop.Tests.Harness;

/// <summary>Self-tests of the harness' pure parts (no peers): G.711, WAV, analysis, pcap layout, SIPp file parsers.</summary>
public sealed class AudioToolsTests
{
    private static short[] Sine(double hz, double seconds, double amplitude = 0.5, int rate = 8000) =>
        Enumerable.Range(0, (int)(seconds * rate)).Select(i => (short)(amplitude * 32767 * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();

    [Fact]
    public void G711_MuLaw_RoundTrip_IsWithinQuantisationStep()
    {
        for (int s = short.MinValue; s <= short.MaxValue; s += 7)
        {
            short back = G711.MuLawDecode(G711.MuLawEncode((short)s));
            int tolerance = Math.Max(8, Math.Abs(s) / 16);
            Assert.True(Math.Abs(back - Math.Clamp(s, -32635, 32635)) <= tolerance, $"{s} -> {back}");
        }

        Assert.Equal(0, G711.MuLawDecode(0xFF));
        Assert.Equal(-32124, G711.MuLawDecode(0x00));
        Assert.Equal(32124, G711.MuLawDecode(0x80));
        Assert.Equal(8, G711.ALawDecode(0xD5));
        Assert.Equal(-8, G711.ALawDecode(0x55));
        Assert.Equal(32256, G711.ALawDecode(0xAA));
    }

    [Fact]
    public void ToneShare_PureToneIsOne_NoiseIsLow()
    {
        Assert.InRange(AudioAnalysis.ToneShare(Sine(1000, 1), 1000), 0.95, 1.0);
        var rnd = new Random(7);
        short[] noise = Enumerable.Range(0, 8000).Select(_ => (short)rnd.Next(-8000, 8000)).ToArray();
        Assert.InRange(AudioAnalysis.ToneShare(noise, 1000), 0, 0.1);
        Assert.InRange(AudioAnalysis.RmsDbfs(Sine(1000, 1)), -9.5, -8.5);
        Assert.True(AudioAnalysis.IsSilent(new short[8000]));
    }

    [Fact]
    public void EnvelopeCorrelation_FindsTheDelay()
    {
        var rnd = new Random(3);
        // A bursty "speech-like" signal: noise gated on and off every few frames.
        short[] reference = new short[8000 * 4];
        for (int i = 0; i < reference.Length; i++)
        {
            bool on = (i / 800) % 3 != 1 && (i / 2400) % 2 == 0 || (i / 1200) % 5 == 0;
            reference[i] = on ? (short)rnd.Next(-10000, 10000) : (short)0;
        }

        short[] delayed = new short[reference.Length + 4000];
        Array.Copy(reference, 0, delayed, 4000, reference.Length);
        (double c, double lag) = AudioAnalysis.EnvelopeCorrelation(reference, delayed);
        Assert.InRange(c, 0.95, 1.0);
        Assert.Equal(0.5, lag, 2);
    }

    [Fact]
    public void SegmentedEnvelopeCorrelation_ForgivesASenderStallButNotOtherAudio()
    {
        var rnd = new Random(5);
        short[] reference = new short[8000 * 4];
        for (int i = 0; i < reference.Length; i++)
        {
            bool on = (i / 800) % 3 != 1 && (i / 2400) % 2 == 0 || (i / 1200) % 5 == 0;
            reference[i] = on ? (short)rnd.Next(-10000, 10000) : (short)0;
        }

        // The sender stalled 0.44 s after 1.7 s: silence, then the rest of the speech, later.
        short[] stalled = [.. reference[..13600], .. new short[3520], .. reference[13600..]];
        double stalledScore = AudioAnalysis.SegmentedEnvelopeCorrelation(reference, stalled);
        Assert.True(stalledScore >= 0.8, $"stalled: {stalledScore:0.000}");

        short[] other = new short[reference.Length];
        for (int i = 0; i < other.Length; i++)
        {
            other[i] = (i / 400) % 2 == 0 ? (short)rnd.Next(-10000, 10000) : (short)0;
        }

        double otherScore = AudioAnalysis.SegmentedEnvelopeCorrelation(reference, other);
        Assert.True(otherScore < 0.7, $"other audio: {otherScore:0.000}");
    }

    [Fact]
    public void WavFile_RoundTrip()
    {
        string dir = RepoPaths.NewTempDirectory("wav");
        string path = Path.Combine(dir, "x.wav");
        short[] tone = Sine(440, 0.5);
        WavFile.Write(path, tone);
        WavFile w = WavFile.Read(path);
        Assert.Equal(8000, w.SampleRate);
        Assert.Equal(1, w.Channels);
        Assert.Equal(tone, w.Mono());
        Directory.Delete(dir, true);
    }

    [Fact]
    public void CommittedPrompts_Are8kMonoPcm16_WithTheDocumentedLengths()
    {
        WavFile prompt = WavFile.Read(RepoPaths.Sound("prompt-test"));
        WavFile bench = WavFile.Read(RepoPaths.Sound("bench-prompt"));
        Assert.Equal((8000, 1), (prompt.SampleRate, prompt.Channels));
        Assert.Equal((8000, 1), (bench.SampleRate, bench.Channels));
        Assert.InRange(prompt.DurationSeconds, 3.5, 5.0);
        Assert.Equal(8.0, bench.DurationSeconds, 3);
        Assert.False(AudioAnalysis.IsSilent(prompt.Samples));
    }

    [Fact]
    public void PcapBuilder_WritesAudioThenRfc4733EventsThenSilence()
    {
        string dir = RepoPaths.NewTempDirectory("pcap");
        string path = Path.Combine(dir, "x.pcap");
        PcapSummary s = PcapBuilder.Write(path, new PcapStream { Audio = Sine(500, 1), Digits = "1#", TrailingSilenceMs = 200 });
        Assert.Equal(50, s.AudioPackets);
        Assert.Equal(2 * 7, s.EventPackets); // 100 ms = 5 updates, the last repeated twice more
        Assert.Equal(2 * 5 + 10, s.SilencePackets);

        byte[] b = File.ReadAllBytes(path);
        Assert.Equal(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(b));
        Assert.Equal(1u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(20)));
        var rtp = new List<byte[]>();
        for (int pos = 24; pos < b.Length;)
        {
            int len = (int)BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(pos + 8));
            rtp.Add(b.AsSpan(pos + 16 + 14 + 20 + 8, len - 42).ToArray());
            pos += 16 + len;
        }

        Assert.Equal(s.TotalPackets, rtp.Count);
        Assert.Equal(0x80, rtp[0][1]); // marker, PT 0
        byte[] firstEvent = rtp[50];
        Assert.Equal(0x80 | 101, firstEvent[1]);
        Assert.Equal(1, firstEvent[12]);
        byte[][] ends = rtp.Skip(50).Take(7).Where(p => (p[13] & 0x80) != 0).ToArray();
        Assert.Equal(3, ends.Length);
        Assert.All(ends, e => Assert.Equal(800, BinaryPrimitives.ReadUInt16BigEndian(e.AsSpan(14))));
        Assert.All(rtp.Skip(50).Take(7), p => Assert.Equal(BinaryPrimitives.ReadUInt32BigEndian(firstEvent.AsSpan(4)), BinaryPrimitives.ReadUInt32BigEndian(p.AsSpan(4))));
        for (int i = 1; i < rtp.Count; i++)
        {
            Assert.Equal((ushort)(BinaryPrimitives.ReadUInt16BigEndian(rtp[i - 1].AsSpan(2)) + 1), BinaryPrimitives.ReadUInt16BigEndian(rtp[i].AsSpan(2)));
        }

        Directory.Delete(dir, true);
    }

    [Fact]
    public void SippFiles_AreParsed()
    {
        const string csv = "StartTime;CurrentCall;SuccessfulCall(C);FailedCall(C);Retransmissions(C);\n" +
                           "x;1;0;0;0;\n" +
                           "y;0;3;1;2;\n";
        SippStats? stats = SippStats.Parse(csv);
        Assert.NotNull(stats);
        Assert.Equal((3, 1, 2), (stats.SuccessfulCalls, stats.FailedCalls, stats.Retransmissions));

        const string log = "----------------------------------------------- 2026-01-01 00:00:00.000000\n" +
                           "UDP message sent (10 bytes):\n\nINVITE sip:9000@127.0.0.1 SIP/2.0\nCSeq: 1 INVITE\n\n" +
                           "----------------------------------------------- 2026-01-01 00:00:00.100000\n" +
                           "TCP message received [20] bytes :\n\nSIP/2.0 407 Proxy Authentication Required\nCSeq: 1 INVITE\n\n";
        IReadOnlyList<SipTraceMessage> m = SipTraceMessage.ParseLog(log);
        Assert.Equal(2, m.Count);
        Assert.True(m[0].Sent);
        Assert.Equal("INVITE", m[0].Method);
        Assert.False(m[1].Sent);
        Assert.Equal("TCP", m[1].Transport);
        Assert.Equal(407, m[1].StatusCode);
        Assert.Equal("INVITE", m[1].CSeqMethod);
    }
}
