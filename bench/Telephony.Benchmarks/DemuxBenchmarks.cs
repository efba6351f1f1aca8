using BenchmarkDotNet.Attributes;
using Telephony.Pbx.WebRtc;

namespace Telephony.Benchmarks;

/// <summary>RFC 7983 first-byte demultiplexing of a mix of STUN, DTLS, RTP and RTCP datagrams; expect 0 B.</summary>
[MemoryDiagnoser]
public class DemuxBenchmarks
{
    private readonly byte[][] _datagrams =
    [
        [0x80, 0x00, 0x12, 0x34, 0, 0, 0, 160, 0, 0, 0, 1], // RTP PCMU
        [0x81, 0xC8, 0x00, 0x06, 0, 0, 0, 1],               // RTCP SR
        [0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xA4, 0x42],   // STUN Binding request
        [0x16, 0xFE, 0xFD, 0x00, 0x00],                     // DTLS handshake
    ];

    [Benchmark(OperationsPerInvoke = 4)]
    public int ClassifyMix()
    {
        var sum = 0;
        foreach (var datagram in _datagrams)
        {
            sum += (int)DatagramDemux.Classify(datagram);
        }

        return sum;
    }
}
