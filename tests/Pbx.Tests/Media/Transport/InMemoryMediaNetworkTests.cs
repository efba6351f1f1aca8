using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Tests.Media.Transport;

/// <summary>
/// The media engine on the in-memory network with no loop thread: a test peer gets an address, sends RTP to a
/// session's address and hears what the session sends, while the test ticks the loops by hand on a fake clock.
/// </summary>
public sealed class InMemoryMediaNetworkTests : IAsyncDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMediaNetwork _network = new();
    private MediaEngine? _engine;

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync();
        }
    }

    private MediaEngine Start(MediaPacing pacing)
    {
        _engine = new MediaEngine(new MediaEngineOptions { Transport = _network, Pacing = pacing, LoopCount = 2 },
            time: _time);
        _engine.Start();
        return _engine;
    }

    [Fact]
    public void Peer_sends_a_1kHz_tone_to_an_echo_session_and_hears_it_back_with_manual_ticks()
    {
        var engine = Start(MediaPacing.Manual);
        using var peer = _network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.20"), 0));
        var session = engine.CreateSession("echo");
        session.Configure(new RtpSessionParameters(peer.LocalEndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        session.SetSource(EchoSource.Instance);
        var to = new IPEndPoint(_network.SessionAddress, session.LocalRtpPort);

        var heard = new List<short>();
        var sources = new HashSet<IPEndPoint>();
        for (var frame = 0; frame < 50; frame++)
        {
            peer.SendTo(Rtp(frame, Tone.Pcmu(frame, 1000)), to);
            _time.Advance(TimeSpan.FromMilliseconds(20));
            engine.Tick();
            while (peer.TryReceive(out var datagram, out var from))
            {
                sources.Add(from);
                Assert.True(RtpHeader.TryRead(datagram, out var header, out var headerLength));
                Assert.Equal(session.Ssrc, header.Ssrc);
                var pcm = new short[160];
                MuLaw.Decode(header.GetPayload(datagram, headerLength), pcm);
                heard.AddRange(pcm);
            }
        }

        Assert.Equal(50 * 160, heard.Count); // one packet per tick
        Assert.Equal([to], sources);
        var echoed = heard.Skip(10 * 160).ToArray(); // past the jitter buffer's start
        Assert.True(Tone.Rms(echoed) > 4000, $"rms {Tone.Rms(echoed)}");
        Assert.True(Tone.Share(echoed, 1000) > 0.9, $"1 kHz share {Tone.Share(echoed, 1000):F2}");
        Assert.Equal(50, session.GetStats().PacketsReceived);
    }

    [Fact]
    public void TimeProvider_pacing_ticks_every_20ms_of_fake_time()
    {
        Start(MediaPacing.TimeProvider);
        using var peer = _network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.21"), 0));
        var session = _engine!.CreateSession("paced");
        session.Configure(new RtpSessionParameters(peer.LocalEndPoint, AudioCodec.Pcma, 8, null, MediaDirection.SendRecv));
        _time.Advance(TimeSpan.FromMilliseconds(20)); // applies the queued commands
        peer.Drain();
        _time.Advance(TimeSpan.FromSeconds(1));
        var packets = peer.Drain();
        Assert.Equal(50, packets.Count);
        var timestamps = packets.Select(p => RtpHeader.TryRead(p, out var h, out _) ? h.Timestamp : 0).ToList();
        Assert.All(timestamps.Zip(timestamps.Skip(1)), t => Assert.Equal(t.First + 160, t.Second));
    }

    [Fact]
    public void Tick_is_refused_while_loop_threads_run()
    {
        var engine = Start(MediaPacing.LoopThreads);
        Assert.Throws<InvalidOperationException>(engine.Tick);
    }

    [Fact]
    public void Datagrams_to_nobody_or_to_a_full_queue_are_dropped_and_counted()
    {
        var network = new InMemoryMediaNetwork(queueCapacity: 2);
        using var a = network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 5000));
        using var b = network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.2"), 0));
        Assert.False(a.SendTo([1], new IPEndPoint(IPAddress.Parse("192.0.2.3"), 5000)));
        Assert.True(a.SendTo([2], b.LocalEndPoint));
        Assert.True(a.SendTo([3], b.LocalEndPoint));
        Assert.False(a.SendTo([4], b.LocalEndPoint));
        Assert.Equal(2, network.Delivered);
        Assert.Equal(2, network.Dropped);
        Assert.Equal(1, b.Dropped);
        Assert.True(b.TryReceive(out var first, out var from));
        Assert.Equal([2], first);
        Assert.Equal(a.LocalEndPoint, from);
        Assert.Throws<System.Net.Sockets.SocketException>(() => network.Bind(a.LocalEndPoint));
    }

    [Fact]
    public void Closed_session_releases_its_ports_and_stops_receiving()
    {
        var engine = Start(MediaPacing.Manual);
        using var peer = _network.Bind(new IPEndPoint(IPAddress.Parse("192.0.2.22"), 0));
        var session = engine.CreateSession("bye");
        session.Configure(new RtpSessionParameters(peer.LocalEndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        engine.Tick();
        session.Dispose();
        engine.Tick();
        Assert.Equal(0, engine.Stats.Sessions);
        var port = session.LocalRtpPort;
        Assert.False(peer.SendTo([0x80], new IPEndPoint(_network.SessionAddress, port)));
        _network.Bind(new IPEndPoint(_network.SessionAddress, port)).Dispose();
    }

    private static byte[] Rtp(int frame, byte[] payload)
    {
        var packet = new byte[RtpHeader.FixedSize + payload.Length];
        new RtpHeader(0, (ushort)(100 + frame), (uint)(frame * 160), 0xCAFE).TryWrite(packet, out _);
        payload.CopyTo(packet, RtpHeader.FixedSize);
        return packet;
    }
}
