using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Media.Mixer;

namespace Telephony.Benchmarks;

/// <summary>
/// One 20 ms mix (160 samples at 8 kHz) for N participants: every participant hears all others (mix-minus), or the
/// three-party Whisper matrix (subset masks, a listen-only-to-caller party). Expected: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class MixerBenchmarks
{
    private AudioMixer _mixer = null!;

    [Params(3, 10)]
    public int Participants { get; set; }

    [Params(false, true)]
    public bool Whisper { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _mixer = new AudioMixer(160);
        var random = new Random(1);
        for (var p = 0; p < Participants; p++)
        {
            var slot = _mixer.AddParticipant();
            var input = _mixer.Input(slot);
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = (short)random.Next(-8000, 8000);
            }
        }

        if (Whisper)
        {
            foreach (var role in (ReadOnlySpan<SupervisedRole>)[SupervisedRole.Caller, SupervisedRole.Agent,
                SupervisedRole.Supervisor])
            {
                var routing = SupervisorHearing.Routing(SupervisorMode.Whisper, role, 0, 1, 2);
                _mixer.SetTalks((int)role, routing.Talks);
                _mixer.SetHears((int)role, routing.Hears);
            }
        }
    }

    [Benchmark]
    public void MixOneFrame() => _mixer.Mix();
}
