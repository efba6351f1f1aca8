using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.WebRtc.Dtls;
using Telephony.Pbx.WebRtc.Ice;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// The browser side of one WebRTC-style probe call, on our own WebRtc and Srtp libraries: the offer a browser makes
/// (UDP/TLS/RTP/SAVPF, a=ice-ufrag/ice-pwd, a=fingerprint sha-256, a=setup:actpass, a=rtcp-mux, BUNDLE, Opus 48 kHz;
/// RFC 8829 §5.2.1, RFC 8839, RFC 8842), then as the controlling full-ICE agent facing an ICE-lite server STUN binding
/// requests with USE-CANDIDATE, PRIORITY, ICE-CONTROLLING, MESSAGE-INTEGRITY and FINGERPRINT (RFC 8445 §7.2.4,
/// §8.1.1, aggressive nomination as older browsers did), repeated every <see cref="ConsentIntervalMs"/> as consent
/// freshness (RFC 7675 §5.1), then a DTLS 1.2 client handshake (<see cref="DtlsAssociation"/> in
/// <see cref="DtlsRole.Client"/>, checking the server's a=fingerprint) whose EXTRACTOR-dtls_srtp keys the SRTP contexts
/// (RFC 5764 §4.2). Threads: the talker calls <see cref="TryWriteCheck"/>, the receiver <see cref="OnStun"/> and
/// <see cref="OnDtls"/>; the handshake completes on the DTLS thread and publishes the contexts with one volatile write.
/// </summary>
internal sealed class WebRtcLeg : IDisposable
{
    public const int OpusPayloadType = 111;
    private const double CheckRetransmitMs = 100;
    private const double ConsentIntervalMs = 5000;
    private const double IceGiveUpMs = 10_000;
    private readonly DtlsCertificate _certificate;
    private readonly Func<double> _nowMs;
    private readonly IceCredentials _local = IceCredentials.Generate();
    private readonly byte[] _transactionId = new byte[StunMessage.TransactionIdSize];
    private readonly ulong _tieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8));
    private readonly object _gate = new();
    private byte[] _remotePassword = [];
    private byte[] _username = [];
    private IReadOnlyList<CertificateFingerprint> _remoteFingerprints = [];
    private DtlsAssociation? _dtls;
    private double _startedMs;
    private double _nextCheckMs;
    private bool _transactionOpen;
    private volatile bool _ready;

    public WebRtcLeg(DtlsCertificate certificate, Func<double> nowMs)
    {
        _certificate = certificate;
        _nowMs = nowMs;
    }

    /// <summary>SRTP keys are installed: the talker may send, the receiver unprotects.</summary>
    public bool Ready => _ready;
    public SrtpContext? Outbound { get; private set; }
    public SrtpContext? Inbound { get; private set; }
    public bool IceConnected { get; private set; }
    public double IceConnectedAtMs { get; private set; }
    public double DtlsStartedAtMs { get; private set; }
    public double KeysAtMs { get; private set; }
    public double FirstDtlsAtMs { get; private set; }
    public string? Failure { get; private set; }
    public long ChecksSent { get; private set; }
    public long CheckSuccesses { get; private set; }
    public long CheckErrors { get; private set; }
    public long DtlsDatagrams { get; private set; }
    public long RtcpPackets { get; set; }
    public long EarlyPackets { get; set; }
    public OpusToneCheck Tone { get; } = new();

    /// <summary>The media section of the offer (after c= and t=), as Chrome writes it for one audio track.</summary>
    public string OfferMedia(int port, IPAddress address) =>
        string.Create(CultureInfo.InvariantCulture,
            $"a=group:BUNDLE 0\r\nm=audio {port} UDP/TLS/RTP/SAVPF {OpusPayloadType}\r\n" +
            $"a=mid:0\r\na=ice-ufrag:{_local.Ufrag}\r\na=ice-pwd:{_local.Password}\r\n" +
            $"a=fingerprint:{_certificate.SdpFingerprint}\r\na=setup:actpass\r\na=rtcp-mux\r\na=sendrecv\r\n" +
            $"a=rtpmap:{OpusPayloadType} opus/48000/2\r\na=fmtp:{OpusPayloadType} minptime=10;useinbandfec=1\r\n" +
            $"a=candidate:1 1 udp 2122260223 {address} {port} typ host\r\na=end-of-candidates\r\n");

    /// <summary>Reads the server's answer (ICE credentials, fingerprint, setup:passive); the problem, or null.</summary>
    public string? ReadAnswer(string sdp, double nowMs)
    {
        string? ufrag = null, password = null, setup = null;
        var fingerprints = new List<CertificateFingerprint>();
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("a=ice-ufrag:", StringComparison.Ordinal))
            {
                ufrag = line[12..];
            }
            else if (line.StartsWith("a=ice-pwd:", StringComparison.Ordinal))
            {
                password = line[10..];
            }
            else if (line.StartsWith("a=setup:", StringComparison.Ordinal))
            {
                setup = line[8..];
            }
            else if (line.StartsWith("a=fingerprint:", StringComparison.Ordinal)
                && CertificateFingerprint.TryParse(line[14..], out var fingerprint) == FingerprintParseError.None)
            {
                fingerprints.Add(fingerprint!);
            }
        }
        if (ufrag is null || password is null || fingerprints.Count == 0)
        {
            return "WebRTC answer without a=ice-ufrag, a=ice-pwd or a usable a=fingerprint";
        }
        if (setup != "passive")
        {
            return $"WebRTC answer with a=setup:{setup}; expected passive (the server is the DTLS server)";
        }
        lock (_gate)
        {
            _remotePassword = Encoding.UTF8.GetBytes(password);
            _username = Encoding.UTF8.GetBytes(ufrag + ":" + _local.Ufrag); // RFC 8445 §7.2.2: theirs:ours
            _remoteFingerprints = fingerprints;
            _startedMs = nowMs;
            _nextCheckMs = nowMs;
        }
        return null;
    }

    /// <summary>Talker thread: writes the next binding request when one is due (first checks, retransmissions, consent).</summary>
    public bool TryWriteCheck(double nowMs, Span<byte> buffer, out int length)
    {
        length = 0;
        lock (_gate)
        {
            if (_username.Length == 0 || Failure is not null || nowMs < _nextCheckMs)
            {
                return false;
            }
            if (!IceConnected && nowMs - _startedMs > IceGiveUpMs)
            {
                Failure = "ICE: no binding success within 10 s";
                return false;
            }
            if (!_transactionOpen || IceConnected)
            {
                RandomNumberGenerator.Fill(_transactionId);
                _transactionOpen = true;
            }
            _nextCheckMs = nowMs + (IceConnected ? ConsentIntervalMs : CheckRetransmitMs);
            var w = new StunWriter(buffer, StunMessageType.BindingRequest, _transactionId);
            var ok = w.TryAddUsername(_username)
                && w.TryAddPriority(1_845_501_695) // RFC 8445 §5.1.2.1: a peer-reflexive priority for our host candidate
                && w.TryAddIceControlling(_tieBreaker)
                && w.TryAddUseCandidate()
                && w.TryAddMessageIntegrity(_remotePassword)
                && w.TryAddFingerprint();
            length = ok ? w.Length : 0;
            ChecksSent += ok ? 1 : 0;
            return ok;
        }
    }

    /// <summary>Receiver thread: a STUN message from the server's port. The first success starts the DTLS client.</summary>
    public void OnStun(ReadOnlySpan<byte> datagram, double nowMs, Socket socket, SocketAddress server)
    {
        if (StunMessage.TryParse(datagram, out var message) != StunParseError.None)
        {
            CheckErrors++;
            return;
        }
        lock (_gate)
        {
            if (!message.TransactionId.SequenceEqual(_transactionId))
            {
                return; // an older check's late answer
            }
            if (message.Class != StunClass.SuccessResponse || !message.VerifyMessageIntegrity(_remotePassword))
            {
                CheckErrors++;
                return;
            }
            _transactionOpen = false;
            CheckSuccesses++;
            if (IceConnected)
            {
                return;
            }
            IceConnected = true;
            IceConnectedAtMs = nowMs;
            _nextCheckMs = nowMs + ConsentIntervalMs;
        }
        // RFC 8842 §5.1: the offerer with actpass answered by passive is the DTLS client; start once ICE connects.
        DtlsStartedAtMs = nowMs;
        _dtls = new DtlsAssociation(DtlsRole.Client, _certificate, _remoteFingerprints, new Sender(socket, server));
        _dtls.Handshake.ContinueWith(OnHandshake, TaskScheduler.Default);
        _dtls.Start();
    }

    /// <summary>Receiver thread: a DTLS record from the server's port, queued for the handshake thread.</summary>
    public void OnDtls(ReadOnlySpan<byte> datagram, double nowMs)
    {
        if (DtlsDatagrams++ == 0)
        {
            FirstDtlsAtMs = nowMs;
        }
        _dtls?.TryReceive(datagram);
    }

    /// <summary>The BYE was sent or the run ends: no more checks.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _username = [];
        }
    }

    private void OnHandshake(Task<DtlsSrtpKeys> handshake)
    {
        if (!handshake.IsCompletedSuccessfully)
        {
            var error = handshake.Exception?.InnerException;
            Failure = error is DtlsHandshakeException dtls ? $"DTLS: {dtls.Reason}" : $"DTLS: {error?.GetType().Name}";
            return;
        }
        var keys = handshake.Result;
        if (!Pbx.Rtp.Srtp.SrtpProfile.TryFromDtlsProtectionProfileId((ushort)keys.Profile, out var profile))
        {
            Failure = $"DTLS: profile {keys.Profile} has no SRTP implementation";
            return;
        }
        Outbound = SrtpContext.CreateOutbound(profile, keys.LocalKey.Span, keys.LocalSalt.Span);
        Inbound = SrtpContext.CreateInbound(profile, keys.RemoteKey.Span, keys.RemoteSalt.Span);
        KeysAtMs = _nowMs();
        _ready = true;
    }

    public void Dispose()
    {
        Stop();
        _dtls?.Dispose();
        Outbound?.Dispose();
        Inbound?.Dispose();
    }

    /// <summary>DTLS records out on the shared media socket to the server's RTP port (thread-safe, non-blocking).</summary>
    private sealed class Sender(Socket socket, SocketAddress server) : IDtlsDatagramSender
    {
        public void Send(ReadOnlySpan<byte> datagram)
        {
            try
            {
                socket.SendTo(datagram, SocketFlags.None, server);
            }
            catch (SocketException)
            {
                // DTLS retransmits
            }
            catch (ObjectDisposedException)
            {
                // the run ended
            }
        }
    }
}
