using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Media.Codecs;

namespace Telephony.Benchmarks;

/// <summary>
/// Opus encoding (through Concentus) of one 20 ms mono frame of voiced speech at 48 kHz, at three complexities;
/// libopus (native) against Concentus's managed port.
/// </summary>
[MemoryDiagnoser]
public class OpusEncodeBenchmarks
{
    private const int Frames = 50;
    private readonly byte[] _packet = new byte[OpusFrameEncoder.MaxPacketBytes];
    private short[] _speech = [];
    private OpusFrameEncoder _encoder = null!;
    private int _frame;

    [Params(1, 5, 9)]
    public int Complexity { get; set; }

    [Params(false, true)]
    public bool ManagedOnly { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _speech = SpeechLike(Frames * OpusFrameEncoder.FrameSamples);
        var settings = OpusEncoderSettings.Default with { Complexity = Complexity };
        _encoder = new OpusFrameEncoder(settings, ManagedOnly);
    }

    [GlobalCleanup]
    public void Cleanup() => _encoder.Dispose();

    [Benchmark]
    public int EncodeFrame()
    {
        var f = _frame++ % Frames;
        _encoder.TryEncode(_speech.AsSpan(f * OpusFrameEncoder.FrameSamples, OpusFrameEncoder.FrameSamples), _packet, out var length);
        return length;
    }

    /// <summary>Harmonics of a gliding 120–220 Hz pitch up to 3.4 kHz in 4 Hz syllables: voiced speech for the encoder.</summary>
    internal static short[] SpeechLike(int length)
    {
        var samples = new short[length];
        var phase = 0.0;
        for (var i = 0; i < length; i++)
        {
            var t = i / 48000.0;
            var pitch = 170 + (50 * Math.Sin(2 * Math.PI * 1.3 * t));
            phase += 2 * Math.PI * pitch / 48000;
            var value = 0.0;
            for (var h = 1; h * pitch < 3400; h++)
            {
                value += Math.Sin(h * phase) / h;
            }

            samples[i] = (short)(4000 * (0.6 + (0.4 * Math.Sin(2 * Math.PI * 4 * t))) * value);
        }

        return samples;
    }
}
