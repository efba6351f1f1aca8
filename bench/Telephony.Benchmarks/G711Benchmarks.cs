using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Contracts.Codecs;

namespace Telephony.Benchmarks;

/// <summary>G.711 encode/decode of one 20 ms frame (160 samples).</summary>
[MemoryDiagnoser]
public class G711Benchmarks
{
    private readonly short[] _pcm = new short[160];
    private readonly byte[] _codes = new byte[160];

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 0; i < _pcm.Length; i++)
        {
            _pcm[i] = (short)(12000 * Math.Sin(i * 0.2));
        }

        MuLaw.Encode(_pcm, _codes);
    }

    [Benchmark]
    public void MuLawEncodeFrame() => MuLaw.Encode(_pcm, _codes);

    [Benchmark]
    public void MuLawDecodeFrame() => MuLaw.Decode(_codes, _pcm);

    [Benchmark]
    public void ALawEncodeFrame() => ALaw.Encode(_pcm, _codes);

    [Benchmark]
    public void ALawDecodeFrame() => ALaw.Decode(_codes, _pcm);
}
