using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Media.Codecs;

namespace Telephony.Benchmarks;

/// <summary>
/// Opus decoding (through Concentus) of one 20 ms mono frame at 48 kHz: decode a packet, conceal a missing one,
/// recover a missing one from the next packet's FEC; libopus (native) against Concentus's managed port.
/// </summary>
[MemoryDiagnoser]
public class OpusDecodeBenchmarks
{
    private const int Frames = 50;
    private readonly short[] _pcm = new short[OpusFrameDecoder.FrameSamples];
    private byte[][] _packets = [];
    private OpusFrameDecoder _decoder = null!;
    private int _frame;

    [Params(false, true)]
    public bool ManagedOnly { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var speech = OpusEncodeBenchmarks.SpeechLike(Frames * OpusFrameEncoder.FrameSamples);
        using var encoder = new OpusFrameEncoder();
        var packet = new byte[OpusFrameEncoder.MaxPacketBytes];
        _packets = new byte[Frames][];
        for (var f = 0; f < Frames; f++)
        {
            encoder.TryEncode(speech.AsSpan(f * OpusFrameEncoder.FrameSamples, OpusFrameEncoder.FrameSamples), packet, out var length);
            _packets[f] = packet[..length];
        }

        _decoder = new OpusFrameDecoder(ManagedOnly);
    }

    [GlobalCleanup]
    public void Cleanup() => _decoder.Dispose();

    [Benchmark]
    public OpusDecodeResult DecodeFrame() => _decoder.Decode(_packets[_frame++ % Frames], _pcm, out _);

    [Benchmark]
    public OpusDecodeResult ConcealFrame() => _decoder.Conceal(_pcm);

    [Benchmark]
    public OpusDecodeResult RecoverFrame() => _decoder.Recover(_packets[1 + (_frame++ % (Frames - 1))], _pcm);
}
