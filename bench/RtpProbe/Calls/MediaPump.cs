using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// The media of every probe call over one UDP socket: a talker thread sends one 20 ms PCMU packet (RFC 3551 PT 0) per
/// talking call per 20 ms on absolute deadlines, SRTP-protected for SRTP calls (RFC 3711 §3.3); a receiver thread
/// demultiplexes the server's packets by their source port (one server RTP port per call), unprotects them, counts
/// loss and jitter per stream (RFC 3550 A.3, A.8) and recognises frames of its own speech coming back (the echo).
/// The receiver polls every 1 ms instead of blocking, as the listen mode does (see bench/README.md).
/// WebRTC-style calls (<see cref="WebRtcLeg"/>) share the socket: the talker also sends their STUN checks and 20 ms Opus
/// packets (PT 111) once DTLS-SRTP is keyed; the receiver demultiplexes STUN, DTLS, RTCP and SRTP (RFC 7983).
/// </summary>
internal sealed class MediaPump : IDisposable
{
    public const int FrameBytes = 160;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly ProbeCall?[] _byServerPort = new ProbeCall?[65536];
    private readonly ConcurrentQueue<ProbeCall> _new = new();
    private readonly byte[] _speech;
    private readonly Dictionary<ulong, int> _frameByHash = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _clockOffsetMs;
    private Thread? _receiver;
    private Thread? _talker;
    private volatile bool _running;

    /// <param name="nowMs">The run's clock (the WebRTC legs' ICE timers and handshake times use it).</param>
    public MediaPump(CallsOptions options, byte[]? speech, Func<double>? nowMs = null)
    {
        _clockOffsetMs = nowMs?.Invoke() ?? 0;
        _speech = Frames(speech);
        for (var k = 0; k < _speech.Length / FrameBytes; k++)
        {
            _frameByHash.TryAdd(Hash(_speech.AsSpan(k * FrameBytes, FrameBytes)), k);
        }
        _socket.ReceiveBufferSize = 16 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        try
        {
            _socket.SetRawSocketOption(1, 33, BitConverter.GetBytes(64 * 1024 * 1024)); // SO_RCVBUFFORCE (root)
        }
        catch (SocketException)
        {
            // not root: keep the capped buffer
        }
        _socket.Bind(new IPEndPoint(options.Local, options.RtpPort));
    }

    public long UnknownPackets { get; private set; }
    public long LateTicks { get; private set; }
    public long SendErrors { get; private set; }
    public int DistinctFrames => _frameByHash.Count;

    public void Start()
    {
        _running = true;
        _receiver = new Thread(Receive) { IsBackground = true, Name = "rtp-receive" };
        _talker = new Thread(Talk) { IsBackground = true, Name = "rtp-talk" };
        _receiver.Start();
        _talker.Start();
    }

    /// <summary>SIP thread: the call was answered; its media target and SRTP contexts (or WebRTC leg) are set.</summary>
    public void Add(ProbeCall call)
    {
        _byServerPort[call.MediaTarget!.Port] = call;
        call.Talking = true;
        _new.Enqueue(call);
    }

    private void Receive()
    {
        var buffer = new byte[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (_running)
        {
            if (_socket.Available == 0)
            {
                Thread.Sleep(1);
                continue;
            }
            int n;
            try
            {
                n = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
            }
            catch (SocketException)
            {
                continue;
            }
            var port = from.Buffer.Span[2] << 8 | from.Buffer.Span[3];
            var call = _byServerPort[port];
            if (call is null || n < 12)
            {
                UnknownPackets++;
                continue;
            }
            var web = call.WebRtc;
            if (web is not null && !WebRtcDemux(call, web, buffer.AsSpan(0, n)))
            {
                continue;
            }
            if ((web is null ? call.Inbound : web.Inbound) is { } inbound)
            {
                var result = inbound.UnprotectRtp(buffer, n, out var plain);
                if (result != SrtpResult.Ok)
                {
                    if (result == SrtpResult.AuthenticationFailed)
                    {
                        call.AuthFailures++;
                    }
                    else
                    {
                        call.OtherUnprotectErrors++;
                    }
                    continue;
                }
                call.UnprotectOk++;
                n = plain;
            }
            if ((buffer[0] >> 6) != 2)
            {
                continue;
            }
            var seq = (ushort)(buffer[2] << 8 | buffer[3]);
            var ts = (uint)(buffer[4] << 24 | buffer[5] << 16 | buffer[6] << 8 | buffer[7]);
            var pt = buffer[1] & 0x7f;
            call.Received.Add(seq, ts, pt, _clock.Elapsed.TotalMilliseconds);
            var header = 12 + 4 * (buffer[0] & 0x0f);
            if ((buffer[0] & 0x10) != 0 && n >= header + 4)
            {
                header += 4 + 4 * (buffer[header + 2] << 8 | buffer[header + 3]);
            }
            if (web is not null)
            {
                if (pt == WebRtcLeg.OpusPayloadType && n > header)
                {
                    web.Tone.Add(buffer.AsSpan(header, n - header));
                }
            }
            else if (pt == 0 && n - header >= FrameBytes && _frameByHash.ContainsKey(Hash(buffer.AsSpan(header, FrameBytes))))
            {
                call.EchoedFrames++;
            }
        }
    }

    /// <summary>
    /// RFC 7983 §7 demultiplexing on a WebRTC call's port: STUN answers and DTLS records go to the leg; RTCP (rtcp-mux,
    /// RFC 5761 §4) is counted; SRTP before the keys is counted and dropped. True when the packet is SRTP to read.
    /// </summary>
    private bool WebRtcDemux(ProbeCall call, WebRtcLeg web, ReadOnlySpan<byte> datagram)
    {
        switch (datagram[0])
        {
            case < 4:
                web.OnStun(datagram, _clock.Elapsed.TotalMilliseconds + _clockOffsetMs, _socket, call.Target!.Address);
                return false;
            case >= 20 and < 64:
                web.OnDtls(datagram, _clock.Elapsed.TotalMilliseconds + _clockOffsetMs);
                return false;
            case >= 128 and < 192 when datagram[1] is >= 192 and <= 223:
                web.RtcpPackets++;
                return false;
            case >= 128 and < 192 when !web.Ready:
                web.EarlyPackets++;
                return false;
            case >= 128 and < 192:
                return true;
            default:
                UnknownPackets++;
                return false;
        }
    }

    private void Talk()
    {
        var active = new List<ProbeCall>();
        var packet = new byte[12 + OpusFrameEncoderMaxBytes + 16];
        var stun = new byte[256];
        var frames = _speech.Length / FrameBytes;
        var next = _clock.Elapsed.TotalMilliseconds;
        while (_running)
        {
            next += 20;
            var wait = next - _clock.Elapsed.TotalMilliseconds;
            if (wait > 0)
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(wait));
            }
            else if (wait < -20)
            {
                LateTicks++;
                next = _clock.Elapsed.TotalMilliseconds; // skip ahead rather than burst
            }
            while (_new.TryDequeue(out var added))
            {
                active.Add(added);
            }
            for (var i = active.Count - 1; i >= 0; i--)
            {
                var call = active[i];
                if (!call.Talking)
                {
                    active.RemoveAt(i);
                    continue;
                }
                if (call.WebRtc is { } web)
                {
                    if (web.TryWriteCheck(_clock.Elapsed.TotalMilliseconds + _clockOffsetMs, stun, out var stunLength))
                    {
                        Send(stun.AsSpan(0, stunLength), call);
                    }
                    if (web.Ready)
                    {
                        TalkOpus(call, web, packet);
                    }
                    continue;
                }
                WriteHeader(packet, call, 0);
                _speech.AsSpan(call.Frame % frames * FrameBytes, FrameBytes).CopyTo(packet.AsSpan(12));
                call.Frame++;
                call.Sequence++;
                call.Timestamp += FrameBytes;
                var length = 12 + FrameBytes;
                if (call.Outbound is { } outbound && outbound.ProtectRtp(packet, length, out length) != SrtpResult.Ok)
                {
                    call.ProtectErrors++;
                    continue;
                }
                if (Send(packet.AsSpan(0, length), call))
                {
                    call.PacketsSent++;
                }
            }
        }
    }

    private const int OpusFrameEncoderMaxBytes = 1275;

    /// <summary>One 20 ms Opus packet of the replayed tone (RFC 7587 §4.1: 48 kHz timestamps), SRTP-protected.</summary>
    private void TalkOpus(ProbeCall call, WebRtcLeg web, byte[] packet)
    {
        var payload = OpusTone.Packets[call.Frame % OpusTone.Packets.Count];
        WriteHeader(packet, call, WebRtcLeg.OpusPayloadType);
        payload.CopyTo(packet.AsSpan(12));
        call.Frame++;
        call.Sequence++;
        call.Timestamp += OpusTone.FrameSamples;
        if (web.Outbound!.ProtectRtp(packet, 12 + payload.Length, out var length) != SrtpResult.Ok)
        {
            call.ProtectErrors++;
            return;
        }
        if (Send(packet.AsSpan(0, length), call))
        {
            call.PacketsSent++;
        }
    }

    private static void WriteHeader(byte[] packet, ProbeCall call, int payloadType)
    {
        packet[0] = 0x80;
        packet[1] = (byte)((call.PacketsSent == 0 ? 0x80 : 0x00) | payloadType);
        packet[2] = (byte)(call.Sequence >> 8);
        packet[3] = (byte)call.Sequence;
        packet[4] = (byte)(call.Timestamp >> 24);
        packet[5] = (byte)(call.Timestamp >> 16);
        packet[6] = (byte)(call.Timestamp >> 8);
        packet[7] = (byte)call.Timestamp;
        packet[8] = (byte)(call.Ssrc >> 24);
        packet[9] = (byte)(call.Ssrc >> 16);
        packet[10] = (byte)(call.Ssrc >> 8);
        packet[11] = (byte)call.Ssrc;
    }

    private bool Send(ReadOnlySpan<byte> datagram, ProbeCall call)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, call.Target!.Address);
            return true;
        }
        catch (SocketException)
        {
            SendErrors++;
            return false;
        }
    }

    /// <summary>The talk file cut to whole 20 ms frames, or (none given) 10 s of a tone stepping 2 Hz every frame,
    /// so that every frame is distinct and an echoed one can be recognised.</summary>
    private static byte[] Frames(byte[]? speech)
    {
        if (speech is { Length: >= FrameBytes })
        {
            return speech[..(speech.Length / FrameBytes * FrameBytes)];
        }
        var frames = new byte[500 * FrameBytes];
        var phase = 0.0;
        for (var i = 0; i < frames.Length; i++)
        {
            var hz = 300 + 2 * (i / FrameBytes);
            phase += 2 * Math.PI * hz / 8000;
            frames[i] = MuLaw((short)(8000 * Math.Sin(phase)));
        }
        return frames;
    }

    /// <summary>G.711 mu-law encoding (ITU-T G.711 §3, bias 0x84).</summary>
    private static byte MuLaw(short sample)
    {
        var sign = sample < 0 ? 0x80 : 0;
        var magnitude = Math.Min(Math.Abs((int)sample), 32635) + 0x84;
        var exponent = 7;
        for (var mask = 0x4000; (magnitude & mask) == 0 && exponent > 0; mask >>= 1)
        {
            exponent--;
        }
        var mantissa = (magnitude >> (exponent + 3)) & 0x0f;
        return (byte)~(sign | exponent << 4 | mantissa);
    }

    private static ulong Hash(ReadOnlySpan<byte> frame)
    {
        var h = 14695981039346656037UL; // FNV-1a 64
        foreach (var b in frame)
        {
            h = (h ^ b) * 1099511628211UL;
        }
        return h;
    }

    public void Dispose()
    {
        _running = false;
        _receiver?.Join();
        _talker?.Join();
        _socket.Dispose();
    }
}
