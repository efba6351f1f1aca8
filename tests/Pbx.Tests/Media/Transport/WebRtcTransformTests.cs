using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.WebRtc;
using Telephony.Pbx.WebRtc.Dtls;
using Telephony.Pbx.WebRtc.Ice;

namespace Telephony.Pbx.Tests.Media.Transport;

/// <summary>
/// <see cref="WebRtcTransform"/> on a real session over the in-memory network, against a browser-like peer
/// (<see cref="WebRtcTestPeer"/>: ICE checks, our DTLS in the client role, SRTP): RFC 7983 demultiplexing and its drop
/// counters, ICE-lite nomination (RFC 8445 §7.3), DTLS-SRTP keying (RFC 5764), rtcp-mux (RFC 5761), consent expiry on
/// the fake clock (RFC 7675). DTLS runs on its own thread in real time, so connecting polls (bounded).
/// </summary>
public sealed class WebRtcTransformTests : IAsyncDisposable
{
    internal static readonly DtlsCertificate ServerCertificate = DtlsCertificate.Generate();

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryMediaNetwork _network = new();
    private readonly MediaEngine _engine;
    private readonly WebRtcTestPeer _peer;
    private readonly RtpSession _session;
    private readonly WebRtcTransform _transform;
    private readonly TaskCompletionSource<string> _failed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WebRtcTransformTests()
    {
        _engine = new MediaEngine(new MediaEngineOptions { Transport = _network, Pacing = MediaPacing.Manual, LoopCount = 1 },
            time: _time);
        _engine.Start();
        _peer = new WebRtcTestPeer(_network, IPAddress.Parse("198.51.100.20"));
        _session = _engine.CreateSession("webrtc");
        _session.TransportFailed += (_, reason) => _failed.TrySetResult(reason);
        var ice = new IceLiteResponder(IceCredentials.Generate(), _time);
        ice.SetRemoteCredentials(_peer.Ice.Ufrag, _peer.Ice.Password);
        _transform = new WebRtcTransform(ice, ServerCertificate, [WebRtcTestPeer.Certificate.Fingerprint], time: _time);
        _peer.Target(new IPEndPoint(_network.SessionAddress, _session.LocalRtpPort), ice.Local,
            ServerCertificate.SdpFingerprint);
    }

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        _peer.Dispose();
    }

    [Fact]
    public void Ice_dtls_and_srtp_carry_opus_both_ways_on_one_port()
    {
        Start(AudioCodec.Opus, 111, 110);
        _peer.Tone(1000);
        Connect();
        Run(60);

        Assert.True(_transform.IsNominated);
        Assert.True(_transform.IsSecure);
        Assert.Equal(DtlsRole.Server, _transform.Role);
        Assert.Equal(_peer.LocalEndPoint, _peer.MappedAddress); // XOR-MAPPED-ADDRESS = where the check came from
        Assert.True(_peer.ToneShare(1000, 400) > 0.8, $"echo heard through Opus + SRTP: {_peer.ToneShare(1000, 400):F2}");
        Assert.Equal(0, _peer.SrtpFailures);
        Assert.True(_transform.Received(DatagramKind.Stun) > 0);
        Assert.True(_transform.Received(DatagramKind.Dtls) > 0);
        Assert.True(_transform.Received(DatagramKind.Rtp) > 40);
        Assert.Equal(0, _transform.Dropped(MediaDropReason.StunRejected));
        Assert.True(_session.Codec is OpusFrameCodec);
    }

    [Fact]
    public void Pcmu_works_too_and_rtcp_is_multiplexed_on_the_rtp_port()
    {
        Start(AudioCodec.Pcmu, 0, 126);
        _peer.Target(new IPEndPoint(_network.SessionAddress, _session.LocalRtpPort), _transform.Ice.Local,
            ServerCertificate.SdpFingerprint, opus: false, payloadType: 0, telephoneEventPayloadType: 126);
        _peer.Tone(700);
        Connect();
        Run(150); // the first report goes out after half the 5 s interval

        Assert.True(_peer.ToneShare(700) > 0.8, $"PCMU echo: {_peer.ToneShare(700):F2}");
        Assert.True(_peer.RtcpReceived > 0, "SRTCP reaches the peer's one port (rtcp-mux)");
        Assert.Equal(0, _peer.SrtpFailures);
    }

    [Fact]
    public void Nothing_is_sent_before_ice_and_dtls_and_srtp_before_keys_is_dropped()
    {
        Start(AudioCodec.Opus, 111, 110);
        _peer.SendChecks = false;
        for (var i = 0; i < 10; i++)
        {
            Tick();
        }

        Assert.Equal(0, _peer.Heard().Length + _peer.RtpReceived + _peer.ChecksSucceeded);
        _peer.SendCheck(useCandidate: false);
        Tick();
        _peer.Tick();
        Assert.Equal(1, _peer.ChecksSucceeded); // answered, but no media: not nominated, no keys
        Assert.False(_transform.IsNominated);
        _peer.SendRaw([0x80, 111, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xFC, 0xFF, 0xFE]);
        Tick();
        Assert.Equal(1, _transform.Dropped(MediaDropReason.SrtpNotReady));
        Assert.Equal(0, _peer.RtpReceived);
    }

    [Fact]
    public void Demux_drops_are_counted_per_reason()
    {
        Start(AudioCodec.Opus, 111, 110);
        _peer.SendRaw([16, 1, 2, 3]);              // ZRTP
        _peer.SendRaw([64, 0, 0, 4, 1, 2, 3, 4]);  // TURN ChannelData
        _peer.SendRaw([100, 1, 2, 3]);             // nothing of ours (QUIC range)
        _peer.SendRaw([0, 1, 0, 0, 1, 2]);         // STUN-looking, malformed
        _peer.SendCheck(useCandidate: true, password: "wrongpassword0123456789"); // 401
        Tick();
        Tick(); // a loop reads a few datagrams per socket and tick
        _peer.Tick();

        Assert.Equal(3, _transform.Dropped(MediaDropReason.NotDemultiplexed));
        Assert.Equal(2, _transform.Dropped(MediaDropReason.StunRejected));
        Assert.Equal(3, _engine.Stats.Dropped[MediaDropReason.NotDemultiplexed]);
        Assert.Equal(2, _engine.Stats.Dropped[MediaDropReason.StunRejected]);
        Assert.Equal(1, _transform.Received(DatagramKind.Zrtp));
        Assert.Equal(1, _transform.Received(DatagramKind.TurnChannel));
        Assert.Equal(1, _peer.ChecksFailed); // the 401 came back
        Assert.False(_transform.IsNominated);
    }

    [Fact]
    public async Task Consent_expires_30_s_after_the_last_check_and_the_call_is_told()
    {
        Start(AudioCodec.Opus, 111, 110);
        _peer.Tone(440);
        Connect();
        Run(20);
        _peer.SendChecks = false;
        RunFakeSeconds(29);
        Assert.False(_failed.Task.IsCompleted, "consent still valid at 29 s");
        RunFakeSeconds(2);
        var reason = await _failed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("consent", reason, StringComparison.OrdinalIgnoreCase);

        var before = _peer.RtpReceived;
        Run(10);
        Assert.Equal(before, _peer.RtpReceived); // RFC 7675 §5.1: stop sending at once
    }

    [Fact]
    public void Consent_checks_keep_the_leg_up()
    {
        Start(AudioCodec.Opus, 111, 110);
        Connect();
        Run(45 * 50);
        Assert.False(_failed.Task.IsCompleted);
        Assert.Null(_transform.FailureReason);
    }

    [Fact]
    public async Task A_peer_certificate_that_does_not_match_the_fingerprint_fails_the_leg()
    {
        var session = _engine.CreateSession("mismatch");
        var failed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.TransportFailed += (_, reason) => failed.TrySetResult(reason);
        var ice = new IceLiteResponder(IceCredentials.Generate(), _time);
        ice.SetRemoteCredentials(_peer.Ice.Ufrag, _peer.Ice.Password);
        var transform = new WebRtcTransform(ice, ServerCertificate, [ServerCertificate.Fingerprint], time: _time);
        session.SetTransform(transform);
        session.Configure(new RtpSessionParameters(new IPEndPoint(IPAddress.Any, 9), AudioCodec.Opus, 111, null,
            MediaDirection.SendRecv));
        _peer.Target(new IPEndPoint(_network.SessionAddress, session.LocalRtpPort), ice.Local, ServerCertificate.SdpFingerprint);
        var clock = Stopwatch.StartNew();
        while (!failed.Task.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            _peer.Tick();
            Tick();
            Thread.Sleep(1);
        }

        var reason = await failed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Contains(nameof(DtlsFailureReason.FingerprintMismatch), reason, StringComparison.Ordinal);
        Assert.False(transform.IsSecure);
    }

    [Fact]
    public void Rtcp_feedback_is_tolerated()
    {
        Start(AudioCodec.Opus, 111, 110);
        Connect();
        // RR + generic NACK (RTPFB, RFC 4585 §6.2.1) in one compound, then a lone PLI (PSFB, reduced size RFC 5506).
        byte[] compound =
        [
            0x80, 201, 0, 1, 0, 0, 0, 9,
            0x81, 205, 0, 3, 0, 0, 0, 9, 0, 0, 0, 1, 0, 5, 0, 0,
        ];
        byte[] pli = [0x81, 206, 0, 2, 0, 0, 0, 9, 0, 0, 0, 1];
        _peer.SendRtcp(compound);
        _peer.SendRtcp(pli);
        Run(5);

        Assert.Equal(0, _engine.Stats.Dropped.GetValueOrDefault(MediaDropReason.SrtpRejected));
        Assert.Equal(2, _transform.Received(DatagramKind.Rtcp));
        Assert.Equal(1, _session.GetStats().RtcpReceived);
        Assert.Null(_transform.FailureReason);
    }

    [Fact]
    public void Dtmf_next_to_opus_is_telephone_event_48000()
    {
        Start(AudioCodec.Opus, 111, 110);
        Connect();
        _session.SendDtmf('5', 100);
        Run(15);
        var events = _peer.Events;
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.Equal(5, e.Event));
        Assert.True(events[0].Marker);
        Assert.Equal(960, events[0].Duration);        // one 20 ms packet at 48 kHz (RFC 4733 §2.4.1)
        Assert.Equal(4800, events[^1].Duration);       // 100 ms
        Assert.True(events[^1].End);
    }

    [Fact]
    public void A_lost_opus_packet_is_rebuilt_from_the_next_packets_fec()
    {
        Start(AudioCodec.Opus, 111, 110);
        _peer.Tone(300, talkSpurts: true); // a steady tone gets LBRR only in its first ~0.5 s: connecting may take longer
        Connect();
        _peer.LoseOneBeforeFecFrom = _peer.MediaPacketsSent + 50; // 1 s in: past a steady tone's LBRR, whatever Connect took
        Run(90);
        Assert.NotNull(_peer.LostPacketIndex);
        var codec = Assert.IsType<OpusFrameCodec>(_session.Codec);
        Assert.True(codec.RecoveredFrames == 1, $"recovered {codec.RecoveredFrames} concealed {codec.ConcealedFrames} lost {_session.GetStats().PacketsLost} invalid {codec.InvalidPackets} fec {_peer.FecPacketsSent}/{_peer.MediaPacketsSent}");
        Assert.Equal(0, codec.ConcealedFrames);
        Assert.True(_peer.ToneShare(300, 600) > 0.8, $"{_peer.ToneShare(300, 600):F2}");
    }

    [Fact]
    public void Connected_ticks_allocate_nothing()
    {
        Start(AudioCodec.Opus, 111, 110);
        _peer.Tone(1000);
        Connect();
        // Warm up past one RTCP interval (5 s) so every path of a connected tick has run once on this thread: a type
        // first used there (its static constructor) allocates once, unless another test class running in parallel
        // happened to use it first (the measured 4,864 B of a CI run).
        Run(300);
        long allocated = 0;
        for (var i = 0; i < 500; i++)
        {
            _peer.Tick();
            _time.Advance(TimeSpan.FromMilliseconds(20));
            var now = _time.GetTimestamp();
            var before = GC.GetAllocatedBytesForCurrentThread();
            _engine.TickAll(now);
            allocated += GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.True(_transform.Received(DatagramKind.Rtp) > 500);
        if (OpusRuntime.IsNative)
        {
            Assert.Equal(0, allocated);
        }
    }

    private void Start(AudioCodec codec, int payloadType, int? telephoneEvent)
    {
        _session.SetTransform(_transform);
        _session.Configure(new RtpSessionParameters(new IPEndPoint(IPAddress.Any, 9), codec, payloadType, telephoneEvent,
            MediaDirection.SendRecv));
        _session.SetSource(EchoSource.Instance);
        Tick();
    }

    private void Tick()
    {
        _time.Advance(TimeSpan.FromMilliseconds(20));
        _engine.Tick();
    }

    /// <summary>Ticks both ends until ICE nominated and both DTLS sides keyed SRTP (real-time DTLS; 10 s at most).</summary>
    private void Connect()
    {
        var clock = Stopwatch.StartNew();
        while (!(_transform.IsSecure && _peer.IsSecure && _transform.IsNominated))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10),
                $"not connected: nominated {_transform.IsNominated}, server {_transform.Dtls.State}, peer {_peer.Dtls?.State}");
            _peer.Tick();
            Tick();
            Thread.Sleep(1);
        }
    }

    private void Run(int ticks)
    {
        for (var i = 0; i < ticks; i++)
        {
            _peer.Tick();
            Tick();
        }
    }

    private void RunFakeSeconds(int seconds) => Run(seconds * 50);
}
