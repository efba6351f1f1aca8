using BenchmarkDotNet.Attributes;
using Telephony.Recording.Writing;

namespace Telephony.Benchmarks;

/// <summary>
/// One 20 ms frame (160 samples a side) appended to a call recording: the recording writer does this for every frame of
/// every recorded call (50 a second each). The stream discards the bytes, so this is the WAV encoding alone.
/// </summary>
[MemoryDiagnoser]
public class WavWriterBenchmarks
{
    private readonly short[] _caller = new short[160];
    private readonly short[] _agent = new short[160];
    private WavWriter _stereoPcm = null!;
    private WavWriter _stereoMuLaw = null!;
    private WavWriter _monoPcm = null!;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _caller.Length; i++)
        {
            _caller[i] = (short)(12000 * Math.Sin(i * 0.2));
            _agent[i] = (short)(8000 * Math.Sin(i * 0.05));
        }

        _stereoPcm = new WavWriter(Stream.Null, RecordingFormat.Pcm16, ownsStream: false);
        _stereoMuLaw = new WavWriter(Stream.Null, RecordingFormat.MuLaw, ownsStream: false);
        _monoPcm = new WavWriter(Stream.Null, RecordingFormat.Pcm16, ownsStream: false, channels: 1);
    }

    [Benchmark(Baseline = true)]
    public void StereoPcm16Frame() => _stereoPcm.WriteFrame(_caller, _agent);

    [Benchmark]
    public void StereoMuLawFrame() => _stereoMuLaw.WriteFrame(_caller, _agent);

    [Benchmark]
    public void MonoPcm16Frame() => _monoPcm.WriteFrame(_caller, default);
}
