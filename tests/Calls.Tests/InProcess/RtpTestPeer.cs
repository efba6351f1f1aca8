using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// The media side of a test phone: an RTP socket on the in-memory media network that streams a PCMU tone (one 20 ms frame per media tick),
/// sends RFC 4733 digits, and keeps the audio the server sends back (decoded) for tone checks.
/// </summary>
internal sealed class RtpTestPeer : IDisposable
{
    private readonly InMemoryDatagramSocket _socket;
    private readonly List<short> _received = [];
    private readonly byte[] _buffer = new byte[2048];
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private IPEndPoint? _remote;
    private ushort _sequence = 1;
    private uint _timestamp = 160;
    private double _toneHz;
    private long _toneSamples;

    public RtpTestPeer(InMemoryMediaNetwork network, IPAddress address)
    {
        _socket = network.Bind(new IPEndPoint(address, 0));
        Port = _socket.LocalEndPoint.Port;
        Host = address.ToString();
    }

    public int Port { get; }
    public string Host { get; }

    /// <summary>SDP offering PCMU + telephone-event at this socket.</summary>
    public byte[] Offer(string direction = "sendrecv") => Sdp.Audio(Host, Port, direction);

    /// <summary>SDP answering with PCMU + telephone-event at this socket.</summary>
    public byte[] Answer() => Sdp.AnswerPcmu(Host, Port);

    private SrtpContext? _protect;
    private SrtpContext? _unprotect;

    /// <summary>
    /// SRTP from now on: offers carry our SDES key (<see cref="SecureOffer"/>); <see cref="UseServerCrypto"/> takes the
    /// server's key from its answer. Packets we send are protected, packets we get are unprotected (and must be).
    /// </summary>
    public SdesCryptoAttribute LocalCrypto { get; } = SdesCryptoAttribute.CreateRandom(1, SrtpProfile.AesCm128HmacSha1Tag80);

    /// <summary>An RTP/SAVP offer with our a=crypto (RFC 4568).</summary>
    public byte[] SecureOffer(string protocol = "RTP/SAVP") => Sdp.Secure(Host, Port, [LocalCrypto.Format()], protocol);

    /// <summary>Protect what we send with our key and expect the server's <paramref name="serverSdp"/> a=crypto key.</summary>
    public void UseServerCrypto(byte[] serverSdp)
    {
        var line = System.Text.Encoding.ASCII.GetString(serverSdp).Split("\r\n")
            .First(l => l.StartsWith("a=crypto:", StringComparison.Ordinal))["a=crypto:".Length..];
        Assert.Equal(SdesError.None, SdesCryptoAttribute.TryParse(line, out var server));
        _protect = LocalCrypto.CreateContext(SrtpDirection.Outbound);
        _unprotect = server!.CreateContext(SrtpDirection.Inbound);
    }

    /// <summary>Packets that failed SRTP unprotection (wrong key, tampered).</summary>
    public int SrtpFailures { get; private set; }

    /// <summary>Where to send: the server's RTP address from its SDP (c= and m=audio).</summary>
    public void ConnectTo(byte[] serverSdp)
    {
        var text = System.Text.Encoding.ASCII.GetString(serverSdp);
        var ip = text.Split("\r\n").First(l => l.StartsWith("c=IN IP4 ", StringComparison.Ordinal))["c=IN IP4 ".Length..];
        var port = int.Parse(text.Split("\r\n").First(l => l.StartsWith("m=audio ", StringComparison.Ordinal)).Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        _remote = new IPEndPoint(IPAddress.Parse(ip), port);
    }

    /// <summary>Streams a tone of <paramref name="hz"/> from the next tick on (0 = silence).</summary>
    public void Tone(double hz) => _toneHz = hz;

    /// <summary>One media tick: send a frame of the current tone (or the next RFC 4733 packet of a digit), read whatever
    /// arrived.</summary>
    public void Tick()
    {
        if (_remote is not null && _dtmf is { IsActive: true } dtmf)
        {
            Span<byte> packet = stackalloc byte[64];
            Span<byte> payload = stackalloc byte[16];
            // The end packet goes out three times (RFC 4733 §2.5.1.4): send them together on the last tick.
            while (dtmf.IsActive && dtmf.TryWriteNext(payload, out var written, out var marker, out var ts))
            {
                new RtpHeader(101, _sequence++, ts, _ssrc, marker).TryWrite(packet, out var header);
                payload[..written].CopyTo(packet[header..]);
                var length = header + written;
                if (_protect is not null)
                {
                    Assert.True(_protect.TryProtectRtp(packet, length, out length));
                }
                _socket.SendTo(packet[..length], _remote);
                if (!IsEndPacket(payload))
                {
                    break;
                }
            }
            _timestamp += 160;
            _toneSamples += 160;
        }
        else if (_remote is not null)
        {
            Span<short> pcm = stackalloc short[160];
            for (var i = 0; i < pcm.Length; i++)
            {
                pcm[i] = _toneHz == 0 ? (short)0 : (short)(8000 * Math.Sin(2 * Math.PI * _toneHz * (_toneSamples + i) / 8000));
            }
            _toneSamples += 160;
            Span<byte> packet = stackalloc byte[200];
            new RtpHeader(0, _sequence++, _timestamp, _ssrc).TryWrite(packet, out var header);
            MuLaw.Encode(pcm, packet[header..]);
            _timestamp += 160;
            var length = header + 160;
            if (_protect is not null)
            {
                Assert.True(_protect.TryProtectRtp(packet, length, out length));
            }
            _socket.SendTo(packet[..length], _remote);
        }
        Drain();
    }

    /// <summary>Sends <paramref name="digit"/> as RFC 4733 telephone-event packets (payload type 101), 100 ms long,
    /// one packet per tick in place of the audio, as a phone does.</summary>
    public void Digit(char digit)
    {
        if (_remote is null)
        {
            throw new InvalidOperationException("no remote yet");
        }
        _dtmf = new DtmfSender();
        _dtmf.Start(digit, 100, _timestamp);
    }

    private DtmfSender? _dtmf;

    private static bool IsEndPacket(ReadOnlySpan<byte> payload) => (payload[1] & 0x80) != 0;

    /// <summary>Share of the energy of the last <paramref name="samples"/> received samples at <paramref name="hz"/>.</summary>
    public double ToneShare(double hz, int samples = 1600)
    {
        Drain();
        lock (_received)
        {
            var n = Math.Min(samples, _received.Count);
            if (n < 160)
            {
                return 0;
            }
            var window = _received.Skip(_received.Count - n).Select(s => (double)s).ToArray();
            var total = window.Sum(s => s * s);
            if (total < 1e3)
            {
                return 0;
            }
            return Goertzel(window, hz) / total;
        }
    }

    /// <summary>Per 20 ms frame share at <paramref name="hz"/> of the last <paramref name="frames"/> frames (diagnostics).</summary>
    public string FrameShares(double hz, int frames)
    {
        Drain();
        lock (_received)
        {
            var parts = new List<string>();
            for (var f = frames; f >= 1; f--)
            {
                var start = _received.Count - (f * 160);
                if (start < 0)
                {
                    continue;
                }
                var window = _received.Skip(start).Take(160).Select(s => (double)s).ToArray();
                var total = window.Sum(s => s * s);
                parts.Add(total < 1e3 ? "0" : (Goertzel(window, hz) / total).ToString("F1", System.Globalization.CultureInfo.InvariantCulture));
            }
            return string.Join(" ", parts);
        }
    }

    public int ReceivedSamples
    {
        get
        {
            Drain();
            lock (_received)
            {
                return _received.Count;
            }
        }
    }

    private void Drain()
    {
        Span<short> frame = stackalloc short[2048];
        var from = new SocketAddress(AddressFamily.InterNetwork);
        while (_socket.Available > 0)
        {
            var n = _socket.TryReceive(_buffer, from);
            if (n <= 0)
            {
                break;
            }
            if (_unprotect is not null && _unprotect.UnprotectRtp(_buffer, n, out n) != SrtpResult.Ok)
            {
                SrtpFailures++;
                continue;
            }
            if (RtpHeader.TryRead(_buffer.AsSpan(0, n), out var header, out var length) && header.PayloadType == 0)
            {
                var pcm = frame[..(n - length)];
                MuLaw.Decode(_buffer.AsSpan(length, n - length), pcm);
                lock (_received)
                {
                    foreach (var s in pcm)
                    {
                        _received.Add(s);
                    }
                }
            }
        }
    }

    /// <summary>Energy at <paramref name="hz"/> (Goertzel), scaled so a pure tone gives its total energy.</summary>
    private static double Goertzel(double[] x, double hz)
    {
        var w = 2 * Math.PI * hz / 8000;
        var c = 2 * Math.Cos(w);
        double s1 = 0, s2 = 0;
        foreach (var v in x)
        {
            var s = v + (c * s1) - s2;
            s2 = s1;
            s1 = s;
        }
        var power = (s1 * s1) + (s2 * s2) - (c * s1 * s2);
        return 2 * power / x.Length;
    }

    public void Dispose() => _socket.Dispose();
}
