using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Codecs;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp;
using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.WebRtc.Dtls;
using Telephony.Pbx.WebRtc.Ice;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Pbx.Tests.Media.Transport;

/// <summary>
/// A browser-like WebRTC endpoint on the in-memory media network, for tests: it sends ICE connectivity checks as a
/// controlling full agent would (RFC 8445 §7.2.4: USERNAME, PRIORITY, ICE-CONTROLLING, USE-CANDIDATE, short-term
/// MESSAGE-INTEGRITY, FINGERPRINT), runs the DTLS client handshake (our own <see cref="DtlsAssociation"/> in the
/// client role, <c>a=setup:active</c>), then streams a tone as SRTP (Opus at 48 kHz, or PCMU) one packet per tick and
/// keeps what it hears (decoded, at the stream's rate). Also linked into Calls.Tests for whole calls.
/// </summary>
internal sealed partial class WebRtcTestPeer : IDisposable
{
    /// <summary>The peer's certificate (a=fingerprint of its offers).</summary>
    public static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();

    private readonly InMemoryDatagramSocket _socket;
    private readonly byte[] _buffer = new byte[2048];
    private readonly List<short> _heard = [];
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private readonly OpusFrameEncoder _opusEncoder = new();
    private readonly OpusFrameDecoder _opusDecoder = new();
    private IPEndPoint? _server;
    private IceCredentials? _serverIce;
    private string? _serverFingerprint;
    private DtlsAssociation? _dtls;
    private SrtpContext? _protect;
    private SrtpContext? _unprotect;
    private ushort _sequence = 1000;
    private uint _timestamp = 96000;
    private long _samplesSent;
    private (byte[] Packet, int Length, bool Fec)? _ahead;
    private int _ticks;

    public WebRtcTestPeer(InMemoryMediaNetwork network, IPAddress address)
    {
        _socket = network.Bind(new IPEndPoint(address, 0));
    }

    /// <summary>Our a=ice-ufrag / a=ice-pwd.</summary>
    public IceCredentials Ice { get; } = IceCredentials.Generate();

    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>True: Opus/48000 at <see cref="PayloadType"/>; false: PCMU/8000.</summary>
    public bool Opus { get; private set; } = true;

    public int PayloadType { get; private set; } = 111;
    public int? TelephoneEventPayloadType { get; private set; } = 110;

    /// <summary>Clock of what we send and hear (48000 for Opus, 8000 for PCMU).</summary>
    public int RateHz => Opus ? 48000 : 8000;

    /// <summary>Keep sending consent checks every <see cref="CheckEveryTicks"/> ticks (false: go silent on ICE).</summary>
    public bool SendChecks { get; set; } = true;

    /// <summary>Ticks between checks (25 = 500 ms).</summary>
    public int CheckEveryTicks { get; set; } = 25;

    /// <summary>Send media once keyed (false: only ICE and DTLS).</summary>
    public bool SendMedia { get; set; } = true;

    /// <summary>
    /// Loss simulation: drop one outgoing media packet, the first from this index (from 0) whose successor carries
    /// Opus FEC (LBRR is not in every packet of a steady tone).
    /// </summary>
    public long? LoseOneBeforeFecFrom { get; set; }

    /// <summary>Index of the packet the loss simulation dropped.</summary>
    public long? LostPacketIndex { get; private set; }

    public int ChecksSucceeded { get; private set; }
    public int ChecksFailed { get; private set; }
    public IPEndPoint? MappedAddress { get; private set; }
    public int SrtpFailures { get; private set; }
    public int RtpReceived { get; private set; }
    public int RtcpReceived { get; private set; }
    public long MediaPacketsSent { get; private set; }

    /// <summary>Opus packets we sent that carry LBRR (FEC for the packet before them).</summary>
    public long FecPacketsSent { get; private set; }
    public List<TelephoneEventPacket> Events { get; } = [];

    /// <summary>The DTLS handshake finished and SRTP is keyed.</summary>
    public bool IsSecure => _protect is not null;

    /// <summary>The client association (null before <see cref="StartDtls"/>).</summary>
    public DtlsAssociation? Dtls => _dtls;

    /// <summary>Who to talk to, without SDP: the server's address, ICE credentials and certificate fingerprint.</summary>
    public void Target(IPEndPoint server, IceCredentials serverIce, string serverFingerprint, bool opus = true,
        int payloadType = 111, int? telephoneEventPayloadType = 110)
    {
        _server = server;
        _serverIce = serverIce;
        _serverFingerprint = serverFingerprint;
        Opus = opus;
        PayloadType = payloadType;
        TelephoneEventPayloadType = telephoneEventPayloadType;
    }

    private double _toneHz;

    /// <summary>Tone to stream from now on (0 = silence).</summary>
    public void Tone(double hz) => _toneHz = hz;

    /// <summary>Starts the DTLS client (a browser does so once a check succeeded; <see cref="Tick"/> does it then).</summary>
    public void StartDtls()
    {
        if (_dtls is not null)
        {
            return;
        }

        var fingerprint = CertificateFingerprint.Parse(_serverFingerprint!);
        _dtls = new DtlsAssociation(DtlsRole.Client, Certificate, [fingerprint], new Sender(this));
        _dtls.Start();
    }

    /// <summary>One 20 ms tick: a check when due, a media packet once keyed, then everything that arrived.</summary>
    public void Tick()
    {
        if (_server is null)
        {
            return;
        }

        if (SendChecks && _ticks % CheckEveryTicks == 0)
        {
            SendCheck(useCandidate: true);
        }

        _ticks++;
        if (_dtls is { Handshake.IsCompletedSuccessfully: true } && _protect is null)
        {
            Key(_dtls.Handshake.Result);
        }

        if (_protect is not null && SendMedia)
        {
            SendFrame();
        }

        Drain();
    }

    /// <summary>Sends one binding request to the server (USE-CANDIDATE when asked).</summary>
    public void SendCheck(bool useCandidate, string? username = null, string? password = null)
    {
        Span<byte> request = stackalloc byte[256];
        var w = new StunWriter(request, StunMessageType.BindingRequest, RandomNumberGenerator.GetBytes(12));
        w.TryAddUsername(Encoding.UTF8.GetBytes(username ?? $"{_serverIce!.Ufrag}:{Ice.Ufrag}"));
        w.TryAddPriority(0x6E7F1EFF);
        w.TryAddIceControlling(0x0102030405060708);
        if (useCandidate)
        {
            w.TryAddUseCandidate();
        }

        w.TryAddMessageIntegrity(Encoding.UTF8.GetBytes(password ?? _serverIce!.Password));
        w.TryAddFingerprint();
        _socket.SendTo(w.Written, _server!);
    }

    /// <summary>Sends raw bytes to the server's media port.</summary>
    public void SendRaw(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, _server!);

    /// <summary>Protects and sends a plain RTCP compound (as SRTCP, on the one muxed port).</summary>
    public void SendRtcp(byte[] plain)
    {
        var buffer = new byte[plain.Length + 32];
        plain.CopyTo(buffer, 0);
        if (_protect!.ProtectRtcp(buffer, plain.Length, out var length) != SrtpResult.Ok)
        {
            throw new InvalidOperationException("SRTCP protect failed");
        }

        _socket.SendTo(buffer.AsSpan(0, length), _server!);
    }

    /// <summary>Share of the power of the last <paramref name="milliseconds"/> heard at <paramref name="hz"/>.</summary>
    public double ToneShare(double hz, int milliseconds = 200)
    {
        Drain();
        var n = Math.Min(_heard.Count, milliseconds * RateHz / 1000);
        if (n < RateHz / 50)
        {
            return 0;
        }

        return Goertzel.Share(_heard.Skip(_heard.Count - n).ToArray(), hz, RateHz);
    }

    /// <summary>Samples heard so far (at <see cref="RateHz"/>).</summary>
    public short[] Heard()
    {
        Drain();
        return [.. _heard];
    }

    public void Dispose()
    {
        _dtls?.Dispose();
        _protect?.Dispose();
        _unprotect?.Dispose();
        _opusEncoder.Dispose();
        _opusDecoder.Dispose();
        _socket.Dispose();
    }

    private void Key(DtlsSrtpKeys keys)
    {
        if (!Telephony.Pbx.Rtp.Srtp.SrtpProfile.TryFromDtlsProtectionProfileId((ushort)keys.Profile, out var profile))
        {
            throw new InvalidOperationException($"unexpected profile {keys.Profile}");
        }

        _unprotect = SrtpContext.CreateInbound(profile, keys.RemoteKey.Span, keys.RemoteSalt.Span);
        _protect = SrtpContext.CreateOutbound(profile, keys.LocalKey.Span, keys.LocalSalt.Span);
    }

    private void SendFrame()
    {
        // Frames are encoded one ahead, so the loss simulation can pick a packet whose successor carries FEC.
        var current = _ahead ?? EncodeFrame();
        var ahead = EncodeFrame();
        _ahead = ahead;
        if (current.Fec)
        {
            FecPacketsSent++;
        }

        var index = MediaPacketsSent++;
        if (LoseOneBeforeFecFrom is { } from && index >= from && ahead.Fec)
        {
            LoseOneBeforeFecFrom = null;
            LostPacketIndex = index;
            return;
        }

        var packet = new byte[current.Length + 32];
        current.Packet.AsSpan(0, current.Length).CopyTo(packet);
        if (_protect!.ProtectRtp(packet, current.Length, out var length) != SrtpResult.Ok)
        {
            throw new InvalidOperationException("SRTP protect failed");
        }

        _socket.SendTo(packet.AsSpan(0, length), _server!);
    }

    private (byte[] Packet, int Length, bool Fec) EncodeFrame()
    {
        var samples = RateHz / 50;
        var pcm = new short[samples];
        for (var i = 0; i < samples; i++)
        {
            pcm[i] = _toneHz == 0 ? (short)0
                : (short)(8000 * Math.Sin(2 * Math.PI * _toneHz * (_samplesSent + i) / RateHz));
        }

        _samplesSent += samples;
        var packet = new byte[1600];
        new RtpHeader((byte)PayloadType, _sequence++, _timestamp, _ssrc).TryWrite(packet, out var header);
        _timestamp += (uint)samples;
        int payload;
        if (Opus)
        {
            if (!_opusEncoder.TryEncode(pcm, packet.AsSpan(header, OpusFrameEncoder.MaxPacketBytes), out payload))
            {
                throw new InvalidOperationException("Opus encode failed");
            }
        }
        else
        {
            MuLaw.Encode(pcm, packet.AsSpan(header, samples));
            payload = samples;
        }

        return (packet, header + payload, Opus && OpusFrameDecoder.CarriesFec(packet.AsSpan(header, payload)));
    }

    private void Drain()
    {
        var from = new SocketAddress(AddressFamily.InterNetwork);
        int n;
        while ((n = _socket.TryReceive(_buffer, from)) >= 0)
        {
            var data = _buffer.AsSpan(0, n);
            if (n == 0)
            {
                continue;
            }

            switch (data[0])
            {
                case <= 3:
                    OnStun(data);
                    break;
                case >= 20 and <= 63:
                    _dtls?.TryReceive(data);
                    break;
                case >= 128 and <= 191:
                    OnSrtp(data, n);
                    break;
            }
        }
    }

    private void OnStun(ReadOnlySpan<byte> data)
    {
        if (StunMessage.TryParse(data, out var message) != StunParseError.None)
        {
            ChecksFailed++;
            return;
        }

        if (message.Class == StunClass.SuccessResponse
            && message.VerifyMessageIntegrity(Encoding.UTF8.GetBytes(_serverIce!.Password))
            && message.TryGetXorMappedAddress(out var mapped))
        {
            ChecksSucceeded++;
            MappedAddress = mapped;
            StartDtls();
        }
        else
        {
            ChecksFailed++;
        }
    }

    private void OnSrtp(Span<byte> data, int length)
    {
        if (_unprotect is null)
        {
            SrtpFailures++;
            return;
        }

        if (data.Length >= 2 && data[1] is >= 192 and <= 223)
        {
            if (_unprotect.UnprotectRtcp(data, length, out _) == SrtpResult.Ok)
            {
                RtcpReceived++;
            }
            else
            {
                SrtpFailures++;
            }

            return;
        }

        if (_unprotect.UnprotectRtp(data, length, out var plain) != SrtpResult.Ok
            || !RtpHeader.TryRead(data[..plain], out var header, out var headerLength))
        {
            SrtpFailures++;
            return;
        }

        RtpReceived++;
        var payload = data[headerLength..plain];
        if (header.PayloadType == TelephoneEventPayloadType)
        {
            Events.Add(new TelephoneEventPacket(header.Timestamp, header.Marker, payload[0], (payload[1] & 0x80) != 0,
                (ushort)((payload[2] << 8) | payload[3])));
            return;
        }

        if (header.PayloadType != PayloadType)
        {
            return;
        }

        if (Opus)
        {
            var pcm = new short[OpusFrameDecoder.MaxPacketSamples];
            _opusDecoder.Decode(payload, pcm, out var samples);
            _heard.AddRange(pcm.AsSpan(0, samples));
        }
        else
        {
            var pcm = new short[payload.Length];
            MuLaw.Decode(payload, pcm);
            _heard.AddRange(pcm);
        }
    }

    /// <summary>One RFC 4733 packet as received.</summary>
    internal readonly record struct TelephoneEventPacket(uint Timestamp, bool Marker, byte Event, bool End, ushort Duration);

    private sealed class Sender(WebRtcTestPeer peer) : IDtlsDatagramSender
    {
        public void Send(ReadOnlySpan<byte> datagram) => peer._socket.SendTo(datagram, peer._server!);
    }
}
