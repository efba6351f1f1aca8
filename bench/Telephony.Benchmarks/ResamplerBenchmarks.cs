using BenchmarkDotNet.Attributes;
using Concentus;
using Telephony.Pbx.Media.Resampling;

namespace Telephony.Benchmarks;

/// <summary>
/// One 20 ms frame through <see cref="AudioResampler"/> (8 ↔ 48 kHz, 16 ↔ 48 kHz), and for comparison Concentus's
/// port of the Speex resampler (quality 5) on the same frames, in its float and its int16 overloads.
/// </summary>
[MemoryDiagnoser]
public class ResamplerBenchmarks
{
    private readonly AudioResampler _up8 = new(8000, 48000);
    private readonly AudioResampler _down8 = new(48000, 8000);
    private readonly AudioResampler _up16 = new(16000, 48000);
    private readonly AudioResampler _down16 = new(48000, 16000);
    private readonly IResampler _speexUp = ResamplerFactory.CreateResampler(1, 8000, 48000, 5, null);
    private readonly IResampler _speexDown = ResamplerFactory.CreateResampler(1, 48000, 8000, 5, null);
    private readonly short[] _narrow = new short[160];
    private readonly short[] _wide16 = new short[320];
    private readonly short[] _wide = new short[960];
    private readonly float[] _narrowFloat = new float[160];
    private readonly float[] _wideFloat = new float[960];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _narrow.Length; i++)
        {
            _narrow[i] = (short)(12000 * Math.Sin(2 * Math.PI * 1000 * i / 8000));
            _narrowFloat[i] = _narrow[i];
        }

        for (var i = 0; i < _wide.Length; i++)
        {
            _wide[i] = (short)(12000 * Math.Sin(2 * Math.PI * 1000 * i / 48000));
            _wideFloat[i] = _wide[i];
        }

        for (var i = 0; i < _wide16.Length; i++)
        {
            _wide16[i] = (short)(12000 * Math.Sin(2 * Math.PI * 1000 * i / 16000));
        }
    }

    [Benchmark]
    public int Up8To48() => _up8.Process(_narrow, _wide);

    [Benchmark]
    public int Down48To8() => _down8.Process(_wide, _narrow);

    [Benchmark]
    public int Up16To48() => _up16.Process(_wide16, _wide);

    [Benchmark]
    public int Down48To16() => _down16.Process(_wide, _wide16);

    [Benchmark]
    public int SpeexUp8To48Float()
    {
        int inLength = 160, outLength = 960;
        _speexUp.Process(0, _narrowFloat, ref inLength, _wideFloat, ref outLength);
        return outLength;
    }

    [Benchmark]
    public int SpeexDown48To8Float()
    {
        int inLength = 960, outLength = 160;
        _speexDown.Process(0, _wideFloat, ref inLength, _narrowFloat, ref outLength);
        return outLength;
    }

    [Benchmark]
    public int SpeexUp8To48Int16()
    {
        int inLength = 160, outLength = 960;
        _speexUp.Process(0, _narrow, ref inLength, _wide, ref outLength);
        return outLength;
    }
}
