using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Rtp;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// The media side of a test phone: a loopback RTP socket that streams a PCMU tone (one 20 ms frame per media tick),
/// sends RFC 4733 digits, and keeps the audio the server sends back (decoded) for tone checks.
/// </summary>
internal sealed class RtpTestPeer : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<short> _received = [];
    private readonly byte[] _buffer = new byte[2048];
    private readonly uint _ssrc = (uint)Random.Shared.Next(1, int.MaxValue);
    private IPEndPoint? _remote;
    private ushort _sequence = 1;
    private uint _timestamp = 160;
    private double _toneHz;
    private long _toneSamples;
    private readonly DtmfSender _dtmf = new();

    public RtpTestPeer()
    {
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.Blocking = false;
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }
    public string Host => "127.0.0.1";

    /// <summary>SDP offering PCMU + telephone-event at this socket.</summary>
    public byte[] Offer(string direction = "sendrecv") => Sdp.Audio(Host, Port, direction);

    /// <summary>SDP answering with PCMU + telephone-event at this socket.</summary>
    public byte[] Answer() => Sdp.AnswerPcmu(Host, Port);

    /// <summary>Where to send: the server's RTP address from its SDP (c= and m=audio).</summary>
    public void ConnectTo(byte[] serverSdp)
    {
        var text = System.Text.Encoding.ASCII.GetString(serverSdp);
        var ip = text.Split("\r\n").First(l => l.StartsWith("c=IN IP4 ", StringComparison.Ordinal))["c=IN IP4 ".Length..];
        var port = int.Parse(text.Split("\r\n").First(l => l.StartsWith("m=audio ", StringComparison.Ordinal)).Split(' ')[1],
            System.Globalization.CultureInfo.InvariantCulture);
        _remote = new IPEndPoint(IPAddress.Loopback, port); // the server's media is bound to loopback in process
        _ = ip;
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
            Span<byte> packet = stackalloc byte[172];
            if (_dtmf.IsActive)
            {
                Span<byte> payload = stackalloc byte[16];
                if (_dtmf.TryWriteNext(payload, out var written, out var marker, out var ts))
                {
                    new RtpHeader(101, _sequence++, ts, _ssrc, marker).TryWrite(packet, out var eventHeader);
                    payload[..written].CopyTo(packet[eventHeader..]);
                    _socket.SendTo(packet[..(eventHeader + written)], _remote);
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
                _socket.SendTo(packet[..(header + 160)], _remote);
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

    private void Drain()
    {
        Span<short> frame = stackalloc short[2048];
        while (_socket.Available > 0)
        {
            var n = _socket.Receive(_buffer);
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
