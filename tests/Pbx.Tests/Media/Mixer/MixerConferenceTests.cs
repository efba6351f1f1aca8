using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Mixer;

namespace Telephony.Pbx.Tests.Media.Mixer;

/// <summary>
/// Three sessions in a <see cref="MixerConference"/> over loopback UDP, time driven by hand: the caller, agent and
/// supervisor far ends send 440, 1000 and 1800 Hz, and Goertzel on what each far end receives tells who hears whom.
/// </summary>
public sealed class MixerConferenceTests : IAsyncDisposable
{
    private const double CallerHz = 440, AgentHz = 1000, SupervisorHz = 1800;
    private const double Amplitude = 6000;
    private const int FramesPerPhase = 30;
    private const int AnalyzedFrames = 20; // the last frames of a phase: jitter buffer filled, switch applied

    private static readonly double[] Tones = [CallerHz, AgentHz, SupervisorHz];

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly MediaEngine _engine;
    private readonly FarEnd[] _far = [new(1), new(2), new(3)];
    private readonly RtpSession[] _sessions = new RtpSession[3];
    private readonly MixerConference _conference;
    private readonly int[] _slots = new int[3];
    private int _frame;

    public MixerConferenceTests()
    {
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            PortMin = 45400,
            PortMax = 45599,
            LoopCount = 1,
            RtpTimeout = TimeSpan.FromSeconds(30),
        }, time: _time);
        for (var i = 0; i < 3; i++)
        {
            _sessions[i] = _engine.CreateSession($"party-{i}", sameLoopAs: i == 0 ? null : _sessions[0]);
            _sessions[i].Configure(new RtpSessionParameters(_far[i].EndPoint, i == 1 ? AudioCodec.Pcma : AudioCodec.Pcmu,
                i == 1 ? 8 : 0, null, MediaDirection.SendRecv));
        }

        _conference = new MixerConference(_sessions[0]);
        for (var i = 0; i < 3; i++)
        {
            _slots[i] = _conference.Add(_sessions[i]);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var f in _far)
        {
            f.Dispose();
        }

        await _engine.DisposeAsync();
    }

    [Theory]
    [InlineData(SupervisorMode.Listen)]
    [InlineData(SupervisorMode.Whisper)]
    [InlineData(SupervisorMode.Barge)]
    [InlineData(SupervisorMode.TakeOver)]
    public void Each_mode_delivers_its_hearing_matrix_end_to_end(SupervisorMode mode)
    {
        _conference.SetSupervisorMode(mode, _slots[0], _slots[1], _slots[2]);
        AssertHearing(mode, RunPhase());
    }

    [Fact]
    public void Without_a_mode_everybody_hears_everybody_else()
    {
        AssertHearing(SupervisorMode.Barge, RunPhase());
    }

    [Fact]
    public void Mode_switches_mid_stream_without_re_creating_sessions()
    {
        SupervisorMode[] sequence =
            [SupervisorMode.Listen, SupervisorMode.Whisper, SupervisorMode.Barge, SupervisorMode.Listen,
                SupervisorMode.TakeOver];
        foreach (var mode in sequence)
        {
            _conference.SetSupervisorMode(mode, _slots[0], _slots[1], _slots[2]);
            AssertHearing(mode, RunPhase());
        }
    }

    [Fact]
    public void A_removed_participant_is_no_longer_heard_and_hears_silence()
    {
        _conference.Remove(_slots[2]);
        var heard = RunPhase();
        Assert.True(heard[0][1] > 2000 && heard[0][2] < 300, Describe(heard));
        Assert.True(heard[2].All(a => a < 300), Describe(heard));
        Assert.Equal(2, _conference.Count);
    }

    [Fact]
    public void Mixing_ticks_allocate_nothing()
    {
        _conference.SetSupervisorMode(SupervisorMode.Whisper, _slots[0], _slots[1], _slots[2]);
        RunPhase(); // warm up: commands, JIT, jitter buffers
        var packets = new byte[3][];
        for (var i = 0; i < 3; i++)
        {
            packets[i] = new byte[160];
            MuLaw.Encode(Sine(0, Tones[i]), packets[i]);
        }

        long allocated = 0;
        for (var t = 0; t < 200; t++)
        {
            for (var i = 0; i < 3; i++)
            {
                _far[i].SendRtp(_sessions[i].LocalRtpPort, (byte)(i == 1 ? 8 : 0), packets[i]);
            }

            _time.Advance(TimeSpan.FromMilliseconds(20));
            var before = GC.GetAllocatedBytesForCurrentThread();
            _engine.TickAll(_time.GetTimestamp());
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            foreach (var f in _far)
            {
                f.DrainRtp();
            }
        }

        Assert.Equal(0, allocated);
    }

    [Fact]
    public void A_session_on_another_loop_is_refused()
    {
        var other = new MixerConference(_sessions[0]);
        Assert.Throws<ArgumentNullException>(() => other.Add(null!));
        Assert.Throws<ArgumentException>(() =>
            other.SetSupervisorMode(SupervisorMode.Barge, _slots[0], _slots[0], _slots[2]));
    }

    [Theory]
    [InlineData(SupervisorMode.Listen)]
    [InlineData(SupervisorMode.Whisper)]
    [InlineData(SupervisorMode.Barge)]
    [InlineData(SupervisorMode.TakeOver)]
    public void A_recording_listener_hears_the_agent_and_the_supervisor_only_when_someone_hears_the_supervisor(
        SupervisorMode mode)
    {
        _conference.SetSupervisorMode(mode, _slots[0], _slots[1], _slots[2]);
        var listener = _conference.AddListener(AudioMixer.Bit(_slots[1]) | AudioMixer.Bit(_slots[2]));
        var tap = new ListenerTap(listener);
        _sessions[0].SetTap(tap);

        RunPhase();

        var heard = Tones.Select(hz => GoertzelAmplitude(tap.LastMixed(AnalyzedFrames * 160), hz)).ToArray();
        var agentHeard = SupervisorHearing.Talks(mode, SupervisedRole.Agent);
        var supervisorHeard = SupervisorHearing.Talks(mode, SupervisedRole.Supervisor);
        var what = $"{mode}: listener hears " + string.Join(", ", heard.Select((a, t) => $"{Tones[t]} Hz={a:F0}"));
        Assert.True(heard[0] < 300, what); // never the caller: that is the left channel
        Assert.True(agentHeard ? heard[1] > Amplitude * 0.7 : heard[1] < 300, what);
        Assert.True(supervisorHeard ? heard[2] > Amplitude * 0.7 : heard[2] < 300, what);
        Assert.Equal(AnalyzedFrames, tap.FramesWithMix(AnalyzedFrames));
        if (mode is SupervisorMode.Listen or SupervisorMode.Barge or SupervisorMode.TakeOver)
        {
            // Whatever the caller hears is exactly "our side" here: only a whisper differs.
            Assert.True(tap.LastMixed(AnalyzedFrames * 160).SequenceEqual(tap.LastSent(AnalyzedFrames * 160)), mode.ToString());
        }
    }

    [Fact]
    public void A_listener_hears_until_removed_then_reads_empty()
    {
        var listener = _conference.AddListener(AudioMixer.Everyone);
        var tap = new ListenerTap(listener);
        _sessions[0].SetTap(tap);
        Assert.DoesNotContain(listener.Slot, _slots);
        Assert.Equal(4, _conference.Count);
        RunPhase();
        Assert.Equal(AnalyzedFrames, tap.FramesWithMix(AnalyzedFrames));

        _conference.Remove(listener.Slot);
        RunPhase();
        Assert.Equal(0, tap.FramesWithMix(AnalyzedFrames));
        Assert.Equal(3, _conference.Count);
    }

    [Fact]
    public void Reading_a_listener_from_a_tap_allocates_nothing()
    {
        _conference.SetSupervisorMode(SupervisorMode.Whisper, _slots[0], _slots[1], _slots[2]);
        var listener = _conference.AddListener(AudioMixer.Bit(_slots[1]) | AudioMixer.Bit(_slots[2]));
        _sessions[0].SetTap(new ListenerTap(listener));
        RunPhase(); // warm up
        long allocated = 0;
        for (var t = 0; t < 100; t++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(20));
            var before = GC.GetAllocatedBytesForCurrentThread();
            _engine.TickAll(_time.GetTimestamp());
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            foreach (var f in _far)
            {
                f.DrainRtp();
            }
        }

        Assert.Equal(0, allocated);
    }

    /// <summary>Keeps the last frames a tap saw (sent, and the listener's mix) in fixed rings: no allocation.</summary>
    private sealed class ListenerTap(MixerListener listener) : IMediaTap
    {
        private const int Frames = 64;
        private readonly short[] _sent = new short[Frames * 160];
        private readonly short[] _mixed = new short[Frames * 160];
        private readonly bool[] _hadMix = new bool[Frames];
        private int _count;

        public void OnFrame(ReadOnlySpan<short> received, ReadOnlySpan<short> sent)
        {
            var i = _count++ % Frames;
            sent.CopyTo(_sent.AsSpan(i * 160, 160));
            var mixed = listener.Read();
            _hadMix[i] = mixed.Length == 160;
            if (_hadMix[i])
            {
                mixed.CopyTo(_mixed.AsSpan(i * 160, 160));
            }
            else
            {
                _mixed.AsSpan(i * 160, 160).Clear();
            }
        }

        public short[] LastSent(int samples) => Last(_sent, samples);

        public short[] LastMixed(int samples) => Last(_mixed, samples);

        public int FramesWithMix(int frames) =>
            Enumerable.Range(_count - frames, frames).Count(f => _hadMix[f % Frames]);

        private short[] Last(short[] ring, int samples)
        {
            var frames = samples / 160;
            var result = new short[samples];
            for (var f = 0; f < frames; f++)
            {
                var index = (_count - frames + f) % Frames;
                ring.AsSpan(index * 160, 160).CopyTo(result.AsSpan(f * 160));
            }

            return result;
        }
    }

    /// <summary>Runs one phase; returns, per receiving party, the tone amplitude of each party it heard.</summary>
    private double[][] RunPhase()
    {
        var received = new List<short>[3];
        for (var i = 0; i < 3; i++)
        {
            received[i] = [];
        }

        for (var t = 0; t < FramesPerPhase; t++, _frame++)
        {
            for (var i = 0; i < 3; i++)
            {
                var pcm = Sine(_frame, Tones[i]);
                if (i == 1)
                {
                    var codes = new byte[160];
                    ALaw.Encode(pcm, codes);
                    _far[i].SendRtp(_sessions[i].LocalRtpPort, 8, codes);
                }
                else
                {
                    _far[i].SendPcmu(_sessions[i].LocalRtpPort, pcm);
                }
            }

            _time.Advance(TimeSpan.FromMilliseconds(20));
            _engine.TickAll(_time.GetTimestamp());
            for (var i = 0; i < 3; i++)
            {
                foreach (var (header, payload) in _far[i].DrainRtp())
                {
                    Assert.Equal(_sessions[i].Ssrc, header.Ssrc);
                    var pcm = new short[payload.Length];
                    if (header.PayloadType == 8)
                    {
                        ALaw.Decode(payload, pcm);
                    }
                    else
                    {
                        MuLaw.Decode(payload, pcm);
                    }

                    received[i].AddRange(pcm);
                }
            }
        }

        var heard = new double[3][];
        for (var i = 0; i < 3; i++)
        {
            Assert.True(received[i].Count >= AnalyzedFrames * 160, $"party {i} got {received[i].Count} samples");
            var window = received[i].Skip(received[i].Count - (AnalyzedFrames * 160)).ToArray();
            heard[i] = Tones.Select(hz => GoertzelAmplitude(window, hz)).ToArray();
        }

        return heard;
    }

    private static void AssertHearing(SupervisorMode mode, double[][] heard)
    {
        SupervisedRole[] roles = [SupervisedRole.Caller, SupervisedRole.Agent, SupervisedRole.Supervisor];
        for (var l = 0; l < 3; l++)
        {
            for (var t = 0; t < 3; t++)
            {
                var expected = SupervisorHearing.Hears(mode, roles[l], roles[t]);
                var ok = expected ? heard[l][t] > Amplitude * 0.7 : heard[l][t] < 300;
                Assert.True(ok, $"{mode}: {roles[l]} hears {roles[t]} should be {expected}; {Describe(heard)}");
            }
        }
    }

    private static string Describe(double[][] heard) =>
        string.Join("; ", heard.Select((row, l) => $"party {l} hears " +
            string.Join(", ", row.Select((a, t) => $"{Tones[t]} Hz={a:F0}"))));

    private static short[] Sine(int frame, double hz)
    {
        var pcm = new short[160];
        for (var i = 0; i < 160; i++)
        {
            pcm[i] = (short)(Amplitude * Math.Sin(2 * Math.PI * hz * ((frame * 160) + i) / 8000));
        }

        return pcm;
    }

    /// <summary>Amplitude of the <paramref name="hz"/> component (Goertzel, 8 kHz): ~A for a sine of amplitude A.</summary>
    private static double GoertzelAmplitude(short[] samples, double hz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + (coefficient * s1) - s2;
            s2 = s1;
            s1 = s0;
        }

        var power = (s1 * s1) + (s2 * s2) - (coefficient * s1 * s2);
        return 2 * Math.Sqrt(Math.Max(power, 0)) / samples.Length;
    }
}
