using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

// Counts the RTP the server sends back during a load run: packets per SSRC (one SSRC per server leg),
// loss from sequence gaps and RFC 3550 interarrival jitter, then prints one JSON object.
// With a talk file (headerless 8 kHz mu-law) it is also the callers' media endpoint: every server stream it hears
// gets PCMU speech back from this same socket, one 20 ms packet per stream per 20 ms (absolute deadlines), until
// that stream goes quiet. One socket and one sending thread replace SIPp's per-call pcap threads and raw sockets.
// With a DTMF spec (DIGITS@MS, e.g. "2@4000") every talker also sends those digits as RFC 4733 telephone-events
// (PT 101, 100 ms each, 3 end packets, 100 ms apart) starting MS after it first heard its server stream.
// usage: Telephony.RtpProbe <address> <port> <seconds> [idle-exit-seconds] [talk-file.ulaw] [dtmf DIGITS@MS]
// The calls mode places the calls itself (SIP UAC, plain RTP, SDES SRTP, or WebRTC-style legs: ICE + DTLS-SRTP + Opus,
// optionally over SIP over WebSocket): see Calls/CallsRun.cs, bench/srtp.sh and bench/webrtc.sh.
//        Telephony.RtpProbe calls --server IP:PORT --calls N [--srtp M | --webrtc M [--ws URI]] --seconds T [--number 9002] ...
if (args.Length > 0 && args[0] == "calls")
{
    Environment.Exit(Telephony.RtpProbe.Calls.CallsRun.Run(args[1..]));
}
var address = IPAddress.Parse(args.Length > 0 ? args[0] : "127.0.0.1");
var port = int.Parse(args.Length > 1 ? args[1] : "40004", CultureInfo.InvariantCulture);
var seconds = double.Parse(args.Length > 2 ? args[2] : "60", CultureInfo.InvariantCulture);
var idleExit = double.Parse(args.Length > 3 ? args[3] : "5", CultureInfo.InvariantCulture);
var talkFile = args.Length > 4 && args[4].Length > 0 ? args[4] : null;
var dtmf = args.Length > 5 ? DtmfPlan.Parse(args[5]) : null;

using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
socket.ReceiveBufferSize = 16 * 1024 * 1024;
socket.SendBufferSize = 4 * 1024 * 1024;
try
{
    // SO_RCVBUFFORCE (root): past net.core.rmem_max, so a scheduling hiccup on a busy box does not drop packets here.
    socket.SetRawSocketOption(1, 33, BitConverter.GetBytes(64 * 1024 * 1024));
}
catch (SocketException)
{
    // not root: keep the capped buffer
}
socket.Bind(new IPEndPoint(address, port));
socket.ReceiveTimeout = 200;
var buffer = new byte[2048];
var from = new SocketAddress(AddressFamily.InterNetwork);
Talkers? talkers = talkFile is null ? null : new Talkers(socket, File.ReadAllBytes(talkFile), dtmf);
talkers?.Start();
var streams = new Dictionary<uint, StreamStats>();
var total = 0L;
var started = Stopwatch.StartNew();
var lastPacket = Stopwatch.StartNew();
var gotAny = false;
Console.Error.WriteLine($"rtp-probe listening on {address}:{port} for up to {seconds} s");
while (started.Elapsed.TotalSeconds < seconds)
{
    if (gotAny && lastPacket.Elapsed.TotalSeconds > idleExit)
    {
        break;
    }
    // Poll every 1 ms instead of blocking: a blocked reader makes every server sendto() on loopback wake this thread,
    // and the wake-up preempts the server's media loop once per packet (50,000 context switches/s at 1,000 calls),
    // which is a cost of the probe, not of the server. Arrival times are therefore ~1 ms granular.
    if (socket.Available == 0)
    {
        Thread.Sleep(1);
        continue;
    }

    int n;
    try
    {
        n = socket.ReceiveFrom(buffer, SocketFlags.None, from);
    }
    catch (SocketException)
    {
        continue;
    }
    if (n < 12 || (buffer[0] >> 6) != 2)
    {
        continue;
    }
    gotAny = true;
    lastPacket.Restart();
    total++;
    var seq = (ushort)(buffer[2] << 8 | buffer[3]);
    var ts = (uint)(buffer[4] << 24 | buffer[5] << 16 | buffer[6] << 8 | buffer[7]);
    var ssrc = (uint)(buffer[8] << 24 | buffer[9] << 16 | buffer[10] << 8 | buffer[11]);
    var pt = buffer[1] & 0x7f;
    if (!streams.TryGetValue(ssrc, out var s))
    {
        s = new StreamStats();
        streams[ssrc] = s;
    }
    s.Add(seq, ts, pt, started.Elapsed.TotalMilliseconds);
    talkers?.Heard(from);
}

talkers?.Stop();

var lost = streams.Values.Sum(s => s.Lost);
var expected = streams.Values.Sum(s => s.Expected);
var jitters = streams.Values.Where(s => s.Packets > 10).Select(s => s.JitterMs).OrderBy(j => j).ToList();
var result = new
{
    packets = total,
    streams = streams.Count,
    expectedBySequence = expected,
    lost,
    lossPercent = expected > 0 ? Math.Round(100.0 * lost / expected, 3) : 0,
    jitterMsMean = jitters.Count > 0 ? Math.Round(jitters.Average(), 2) : 0,
    jitterMsP99 = jitters.Count > 0 ? Math.Round(jitters[(int)Math.Min(jitters.Count - 1, jitters.Count * 0.99)], 2) : 0,
    jitterMsMax = jitters.Count > 0 ? Math.Round(jitters[^1], 2) : 0,
    maxGapMs = streams.Count > 0 ? Math.Round(streams.Values.Max(s => s.MaxGapMs), 1) : 0,
    seconds = Math.Round(started.Elapsed.TotalSeconds, 1),
    talkStreams = talkers?.StreamCount ?? 0,
    talkPacketsSent = talkers?.PacketsSent ?? 0,
    talkSendErrors = talkers?.SendErrors ?? 0,
    talkLateTicks = talkers?.LateTicks ?? 0,
    dtmfDigitsSent = talkers?.DigitsSent ?? 0,
};
Console.WriteLine(JsonSerializer.Serialize(result));

/// <summary>Per-SSRC receive statistics (RFC 3550 A.3 loss, A.8 jitter in 8 kHz units).</summary>
internal sealed class StreamStats
{
    private bool _first = true;
    private int _baseSeq;
    private int _maxExt;
    private int _cycles;
    private ushort _maxSeq;
    private double _lastArrivalMs;
    private uint _lastTs;
    private double _jitter;

    public long Packets { get; private set; }
    public long Expected => _first ? 0 : (long)_maxExt - _baseSeq + 1;
    public long Lost => Math.Max(0, Expected - Packets);
    public double JitterMs => _jitter / 8.0;
    public double MaxGapMs { get; private set; }

    public void Add(ushort seq, uint ts, int pt, double arrivalMs)
    {
        Packets++;
        if (_first)
        {
            _first = false;
            _baseSeq = seq;
            _maxSeq = seq;
            _maxExt = seq;
            _lastArrivalMs = arrivalMs;
            _lastTs = ts;
            return;
        }
        var delta = (ushort)(seq - _maxSeq);
        if (delta < 0x8000 && delta != 0)
        {
            if (seq < _maxSeq)
            {
                _cycles += 65536;
            }
            _maxSeq = seq;
            _maxExt = _cycles + seq;
        }
        var gap = arrivalMs - _lastArrivalMs;
        MaxGapMs = Math.Max(MaxGapMs, gap);
        if (pt is 0 or 8)
        {
            var d = gap * 8.0 - (int)(ts - _lastTs);
            _jitter += (Math.Abs(d) - _jitter) / 16.0;
        }
        _lastArrivalMs = arrivalMs;
        _lastTs = ts;
    }
}

/// <summary>
/// The callers' side of the media: one RTP stream of PCMU speech (RFC 3551 PT 0, 20 ms) per server stream heard,
/// sent to the address it came from. A stream stops when the server has not sent for <see cref="QuietMs"/>.
/// </summary>
internal sealed class Talkers(Socket socket, byte[] speech, DtmfPlan? dtmf)
{
    private const int QuietMs = 2000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<SocketAddress, Talker> _byAddress = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<Talker> _new = new();
    private readonly List<Talker> _active = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private Thread? _thread;
    private volatile bool _running;
    private uint _nextSsrc = 0x5EED0000;

    public int StreamCount { get; private set; }
    public long PacketsSent { get; private set; }
    public long SendErrors { get; private set; }
    public long LateTicks { get; private set; }
    public long DigitsSent { get; private set; }

    public void Start()
    {
        _running = true;
        _thread = new Thread(Run) { IsBackground = true, Name = "talkers" };
        _thread.Start();
    }

    public void Stop()
    {
        _running = false;
        _thread?.Join();
    }

    /// <summary>Receive thread: a packet came from <paramref name="source"/> (a server RTP port).</summary>
    public void Heard(SocketAddress source)
    {
        // Lock-free for known streams: the receive thread must never wait behind the sender's burst of sends.
        var nowMs = _clock.ElapsedMilliseconds;
        if (_byAddress.TryGetValue(source, out var talker))
        {
            Volatile.Write(ref talker.LastHeardMs, nowMs);
            return;
        }

        var key = new SocketAddress(source.Family, source.Size);
        source.Buffer.Span[..source.Size].CopyTo(key.Buffer.Span);
        key.Size = source.Size;
        talker = new Talker(key, _nextSsrc++, (int)(_nextSsrc % 50) * 160 % speech.Length) { LastHeardMs = nowMs };
        _byAddress[key] = talker;
        _new.Enqueue(talker);
        StreamCount++;
    }

    private void Run()
    {
        var packet = new byte[12 + 160];
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

            var nowMs = _clock.ElapsedMilliseconds;
            while (_new.TryDequeue(out var added))
            {
                _active.Add(added);
            }

            {
                for (var i = _active.Count - 1; i >= 0; i--)
                {
                    var t = _active[i];
                    if (nowMs - Volatile.Read(ref t.LastHeardMs) > QuietMs)
                    {
                        _active.RemoveAt(i);
                        _byAddress.TryRemove(t.Address, out _);
                        continue;
                    }

                    var length = 12 + 160;
                    var eventTick = dtmf?.EventTick(t.Ticks) ?? -1;
                    t.Ticks++;
                    if (eventTick >= 0)
                    {
                        // RFC 4733 §2.3: event, E bit + volume 10, duration so far; the event keeps its start timestamp.
                        var (digitIndex, tick) = (eventTick / DtmfPlan.TicksPerDigit, eventTick % DtmfPlan.TicksPerDigit);
                        if (tick == 0)
                        {
                            t.EventTimestamp = t.Timestamp;
                        }
                        var end = tick >= DtmfPlan.ToneTicks;
                        var duration = 160 * Math.Min(tick + 1, DtmfPlan.ToneTicks);
                        packet[0] = 0x80;
                        packet[1] = (byte)((tick == 0 ? 0x80 : 0x00) | DtmfPlan.PayloadType);
                        packet[12] = dtmf!.Events[digitIndex];
                        packet[13] = (byte)((end ? 0x80 : 0x00) | 10);
                        packet[14] = (byte)(duration >> 8);
                        packet[15] = (byte)duration;
                        length = 16;
                        if (tick == DtmfPlan.ToneTicks)
                        {
                            DigitsSent++;
                        }
                    }
                    else
                    {
                        packet[0] = 0x80;
                        packet[1] = (byte)(t.Sequence == t.FirstSequence ? 0x80 : 0x00);
                    }
                    packet[2] = (byte)(t.Sequence >> 8);
                    packet[3] = (byte)t.Sequence;
                    var ts = eventTick >= 0 ? t.EventTimestamp : t.Timestamp;
                    packet[4] = (byte)(ts >> 24);
                    packet[5] = (byte)(ts >> 16);
                    packet[6] = (byte)(ts >> 8);
                    packet[7] = (byte)ts;
                    packet[8] = (byte)(t.Ssrc >> 24);
                    packet[9] = (byte)(t.Ssrc >> 16);
                    packet[10] = (byte)(t.Ssrc >> 8);
                    packet[11] = (byte)t.Ssrc;
                    if (eventTick < 0)
                    {
                        for (var k = 0; k < 160; k++)
                        {
                            packet[12 + k] = speech[(t.Position + k) % speech.Length];
                        }
                    }

                    t.Position = (t.Position + 160) % speech.Length;
                    t.Sequence++;
                    t.Timestamp += 160;
                    try
                    {
                        socket.SendTo(packet.AsSpan(0, length), SocketFlags.None, t.Address);
                        PacketsSent++;
                    }
                    catch (SocketException)
                    {
                        SendErrors++;
                    }
                }
            }
        }
    }

    private sealed class Talker(SocketAddress address, uint ssrc, int position)
    {
        public SocketAddress Address { get; } = address;
        public uint Ssrc { get; } = ssrc;
        public ushort FirstSequence { get; } = (ushort)ssrc;
        public ushort Sequence { get; set; } = (ushort)ssrc;
        public uint Timestamp { get; set; } = ssrc * 7;
        public int Position { get; set; } = position;
        public int Ticks { get; set; }
        public uint EventTimestamp { get; set; }
        public long LastHeardMs;
    }
}

/// <summary>
/// Digits every talker sends as RFC 4733 telephone-events (PT <see cref="PayloadType"/>), from a spec
/// <c>DIGITS@MS</c>: each digit is 100 ms of event packets plus 3 end packets, then 100 ms of speech before the next.
/// </summary>
internal sealed class DtmfPlan
{
    public const int PayloadType = 101;
    public const int ToneTicks = 5;           // 100 ms of event packets
    public const int TicksPerDigit = 5 + 3 + 5; // + 3 end packets + 100 ms gap

    private DtmfPlan(byte[] events, int startTick)
    {
        Events = events;
        StartTick = startTick;
    }

    public byte[] Events { get; }
    public int StartTick { get; }

    public static DtmfPlan? Parse(string spec)
    {
        var at = spec.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0)
        {
            return null;
        }
        var events = spec[..at].Select(c => c switch
        {
            >= '0' and <= '9' => (byte)(c - '0'),
            '*' => (byte)10,
            '#' => (byte)11,
            _ => throw new FormatException($"not a DTMF digit: {c}"),
        }).ToArray();
        return new DtmfPlan(events, int.Parse(spec[(at + 1)..], CultureInfo.InvariantCulture) / 20);
    }

    /// <summary>The event tick (digit * TicksPerDigit + tick in digit) at talker tick <paramref name="tick"/>, or -1 (speech).</summary>
    public int EventTick(int tick)
    {
        var k = tick - StartTick;
        if (k < 0 || k >= Events.Length * TicksPerDigit || k % TicksPerDigit >= ToneTicks + 3)
        {
            return -1;
        }
        return k;
    }
}
