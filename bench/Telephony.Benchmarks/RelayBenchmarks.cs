using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.JitterBuffer;
using Telephony.Pbx.Rtp;

namespace Telephony.Benchmarks;

/// <summary>
/// "Relay one RTP packet" without sockets: parse the RTP header, jitter buffer put + get, decode PCMU, encode PCMA,
/// write the outgoing RTP header in place. Expected: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class RelayBenchmarks
{
    private readonly byte[] _incoming = new byte[172];
    private readonly byte[] _outgoing = new byte[172];
    private readonly byte[] _frame = new byte[320];
    private readonly short[] _pcm = new short[160];
    private readonly AdaptiveJitterBuffer _jitterBuffer = new();
    private ushort _inSeq;
    private ushort _outSeq;
    private uint _outTimestamp;

    [GlobalSetup]
    public void Setup()
    {
        for (var i = 12; i < _incoming.Length; i++)
        {
            _incoming[i] = MuLaw.Encode((short)(8000 * Math.Sin(i * 0.3)));
        }

        // Prime the jitter buffer to its target depth so every Get returns a frame.
        for (var i = 0; i < 2; i++)
        {
            _jitterBuffer.Put(_inSeq, _inSeq * 160u, 1, _incoming.AsSpan(12));
            _inSeq++;
        }
    }

    [Benchmark]
    public int RelayOnePacket()
    {
        new RtpHeader(0, _inSeq, _inSeq * 160u, 1).TryWrite(_incoming, out _); // the "received" packet
        _inSeq++;
        if (!RtpHeader.TryRead(_incoming, out var header, out var headerLength))
        {
            return -1;
        }

        _jitterBuffer.Put(header.SequenceNumber, header.Timestamp, header.Ssrc,
            header.GetPayload(_incoming, headerLength));
        if (_jitterBuffer.TryGet(_frame, out var length, out _) != JitterGetResult.Frame)
        {
            return -2;
        }

        MuLaw.Decode(_frame.AsSpan(0, length), _pcm);
        ALaw.Encode(_pcm, _outgoing.AsSpan(RtpHeader.FixedSize));
        new RtpHeader(8, _outSeq++, _outTimestamp, 0xCAFEBABE).TryWrite(_outgoing, out var written);
        _outTimestamp += 160;
        return written + length;
    }

    [Benchmark]
    public int ParseRtpHeader() =>
        RtpHeader.TryRead(_incoming, out var header, out var length) ? header.SequenceNumber + length : 0;
}
