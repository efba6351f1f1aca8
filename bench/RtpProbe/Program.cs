using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

// Counts the RTP the server sends back during a load run: packets per SSRC (one SSRC per server leg),
// loss from sequence gaps and RFC 3550 interarrival jitter, then prints one JSON object.
// usage: Telephony.RtpProbe <address> <port> <seconds> [idle-exit-seconds]
var address = IPAddress.Parse(args.Length > 0 ? args[0] : "127.0.0.1");
var port = int.Parse(args.Length > 1 ? args[1] : "40004", CultureInfo.InvariantCulture);
var seconds = double.Parse(args.Length > 2 ? args[2] : "60", CultureInfo.InvariantCulture);
var idleExit = double.Parse(args.Length > 3 ? args[3] : "5", CultureInfo.InvariantCulture);

using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
socket.ReceiveBufferSize = 16 * 1024 * 1024;
socket.Bind(new IPEndPoint(address, port));
socket.ReceiveTimeout = 200;
var buffer = new byte[2048];
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
    int n;
    try
    {
        n = socket.Receive(buffer);
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
}

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
