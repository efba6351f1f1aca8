using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// The media side of a test phone: an RTP socket on the media engine's in-memory network that streams a PCMU tone (one 20 ms frame per media tick),
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
    private readonly DtmfSender _dtmf = new();

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

    /// <summary>
    /// One media tick: send a frame of the current tone (or, while a digit is being sent, its RFC 4733 packet instead),
    /// read whatever arrived. The RTP timestamp advances one frame per tick either way, as a phone's clock does.
    /// </summary>
    public void Tick()
    {
        if (_remote is not null)
        {
            Span<byte> packet = stackalloc byte[200];
            if (_dtmf.IsActive)
            {
                Span<byte> payload = stackalloc byte[16];
                if (_dtmf.TryWriteNext(payload, out var written, out var marker, out var ts))
                {
                    new RtpHeader(101, _sequence++, ts, _ssrc, marker).TryWrite(packet, out var eventHeader);
                    payload[..written].CopyTo(packet[eventHeader..]);
                    Send(packet, eventHeader + written);
                }
            }
            else
            {
                Span<short> pcm = stackalloc short[160];
                for (var i = 0; i < pcm.Length; i++)
                {
                    pcm[i] = _toneHz == 0 ? (short)0 : (short)(8000 * Math.Sin(2 * Math.PI * _toneHz * (_toneSamples + i) / 8000));
                }
                new RtpHeader(0, _sequence++, _timestamp, _ssrc).TryWrite(packet, out var header);
                MuLaw.Encode(pcm, packet[header..]);
                Send(packet, header + 160);
            }
            _toneSamples += 160;
            _timestamp += 160;
        }
        Drain();
    }

    /// <summary>
    /// Sends <paramref name="digit"/> as RFC 4733 telephone-event packets (payload type 101), 100 ms long: one packet per
    /// tick from the next tick on, in place of audio (§2.5.1), the end three times.
    /// </summary>
    public void Digit(char digit)
    {
        if (_remote is null)
        {
            throw new InvalidOperationException("no remote yet");
        }
        if (_dtmf.IsActive)
        {
            throw new InvalidOperationException("a digit is still being sent: tick first");
        }
        _dtmf.Start(digit, 100, _timestamp);
    }

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

    /// <summary>
    /// True when a stretch of <paramref name="clip"/> (400 samples from its first loud one, through PCMU as the server
    /// sends it) arrived sample for sample: the prompt was played to this phone.
    /// </summary>
    public bool Heard(ReadOnlySpan<short> clip)
    {
        var start = 0;
        while (start < clip.Length && Math.Abs((int)clip[start]) < 500)
        {
            start++;
        }
        var length = Math.Min(400, clip.Length - start);
        if (length < 160)
        {
            return false;
        }
        Span<byte> encoded = stackalloc byte[length];
        Span<short> expected = stackalloc short[length];
        MuLaw.Encode(clip.Slice(start, length), encoded);
        MuLaw.Decode(encoded, expected);
        Drain();
        lock (_received)
        {
            var received = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_received);
            return received.IndexOf(expected) >= 0;
        }
    }

    /// <summary>What the last <paramref name="samples"/> received hold, for failure messages.</summary>
    public string Describe(int samples = 1600) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"received {ReceivedSamples} samples; last {samples}: 425 Hz {ToneShare(425, samples):F2}, 440 Hz {ToneShare(440, samples):F2}, " +
        $"1000 Hz {ToneShare(1000, samples):F2}, 1800 Hz {ToneShare(1800, samples):F2}");

    /// <summary>Everything received so far (decoded).</summary>
    public short[] Samples
    {
        get
        {
            Drain();
            lock (_received)
            {
                return [.. _received];
            }
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

    private void Send(Span<byte> packet, int length)
    {
        if (_protect is not null)
        {
            Assert.True(_protect.TryProtectRtp(packet, length, out length));
        }
        _socket.SendTo(packet[..length], _remote!);
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
