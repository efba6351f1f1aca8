using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Media;
using Telephony.Pbx.Rtp;

namespace Telephony.Benchmarks;

/// <summary>
/// One media-loop tick for two bridged sessions (PCMU ↔ PCMA) over real loopback UDP: each iteration the far ends
/// send one packet per session, the loop receives, jitter-buffers, decodes, renders, encodes and sends, and the far
/// ends drain what came back. Expected: 0 B allocated.
/// </summary>
[MemoryDiagnoser]
public class EngineTickBenchmarks
{
    private MediaEngine _engine = null!;
    private Socket _farA = null!;
    private Socket _farB = null!;
    private SocketAddress _toA = null!;
    private SocketAddress _toB = null!;
    private readonly SocketAddress _from = new(AddressFamily.InterNetwork);
    private readonly byte[] _packetA = new byte[172];
    private readonly byte[] _packetB = new byte[172];
    private readonly byte[] _sink = new byte[2048];
    private ushort _seq;
    private long _now;

    [GlobalSetup]
    public void Setup()
    {
        _engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            PortMin = 47000,
            PortMax = 47999,
            LoopCount = 1,
        });
        _farA = Bind();
        _farB = Bind();
        var a = _engine.CreateSession("bench-a");
        var b = _engine.CreateSession("bench-b", sameLoopAs: a);
        a.Configure(new RtpSessionParameters((IPEndPoint)_farA.LocalEndPoint!, AudioCodec.Pcmu, 0, 101,
            MediaDirection.SendRecv));
        b.Configure(new RtpSessionParameters((IPEndPoint)_farB.LocalEndPoint!, AudioCodec.Pcma, 8, null,
            MediaDirection.SendRecv));
        a.SetSource(new BridgeSource(b));
        b.SetSource(new BridgeSource(a));
        _toA = new IPEndPoint(IPAddress.Loopback, a.LocalRtpPort).Serialize();
        _toB = new IPEndPoint(IPAddress.Loopback, b.LocalRtpPort).Serialize();
        _now = _engine.Time.GetTimestamp();
        _packetA.AsSpan(12).Fill(0x7E);
        _packetB.AsSpan(12).Fill(0x55);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _farA.Dispose();
        _farB.Dispose();
        _engine.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark]
    public void TickTwoBridgedSessions()
    {
        new RtpHeader(0, _seq, _seq * 160u, 1).TryWrite(_packetA, out _);
        new RtpHeader(8, _seq, _seq * 160u, 2).TryWrite(_packetB, out _);
        _seq++;
        _farA.SendTo(_packetA, SocketFlags.None, _toA);
        _farB.SendTo(_packetB, SocketFlags.None, _toB);
        _now += _engine.Time.TimestampFrequency / 50;
        _engine.TickAll(_now);
        while (_farA.Available > 0)
        {
            _farA.ReceiveFrom(_sink, SocketFlags.None, _from);
        }

        while (_farB.Available > 0)
        {
            _farB.ReceiveFrom(_sink, SocketFlags.None, _from);
        }
    }

    private static Socket Bind()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return socket;
    }
}
