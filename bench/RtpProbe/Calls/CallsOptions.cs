using System.Globalization;
using System.Net;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// Command line of the calls mode: <c>Telephony.RtpProbe calls --server 127.0.0.1:5060 --calls 100 --srtp 50
/// --seconds 20 [--webrtc 0] [--ws ws://127.0.0.1:8080/sip] [--number 9002] [--local 127.0.0.2] [--sip-port 26070] [--rtp-port 26004] [--rate 10]
/// [--talk speech.ulaw] [--timeout 120] [--expect-echo 0]</c>.
/// </summary>
internal sealed class CallsOptions
{
    public IPEndPoint Server { get; private set; } = new(IPAddress.Loopback, 5060);
    public IPAddress Local { get; private set; } = IPAddress.Parse("127.0.0.2");
    public int SipPort { get; private set; } = 26070;
    public int RtpPort { get; private set; } = 26004;
    public string Number { get; private set; } = "9002";
    public int Calls { get; private set; } = 10;
    public int SrtpCalls { get; private set; }
    public int WebRtcCalls { get; private set; }
    public Uri? WebSocket { get; private set; }
    public double CallSeconds { get; private set; } = 10;
    public double RatePerSecond { get; private set; }
    public string? TalkFile { get; private set; }
    public double TimeoutSeconds { get; private set; }
    public bool ExpectEcho { get; private set; } = true;

    public static CallsOptions Parse(string[] args)
    {
        var o = new CallsOptions();
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value");
            i++;
            switch (args[i - 1])
            {
                case "--server": o.Server = IPEndPoint.Parse(value); break;
                case "--local": o.Local = IPAddress.Parse(value); break;
                case "--sip-port": o.SipPort = Int(value); break;
                case "--rtp-port": o.RtpPort = Int(value); break;
                case "--number": o.Number = value; break;
                case "--calls": o.Calls = Int(value); break;
                case "--srtp": o.SrtpCalls = Int(value); break;
                case "--webrtc": o.WebRtcCalls = Int(value); break;
                case "--ws": o.WebSocket = value.Length > 0 ? new Uri(value) : null; break;
                case "--seconds": o.CallSeconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--rate": o.RatePerSecond = double.Parse(value, CultureInfo.InvariantCulture); break;
                case "--talk": o.TalkFile = value.Length > 0 ? value : null; break;
                case "--expect-echo": o.ExpectEcho = value != "0"; break;
                case "--timeout": o.TimeoutSeconds = double.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown option {args[i - 1]}");
            }
        }
        if (o.SrtpCalls < 0 || o.SrtpCalls > o.Calls)
        {
            throw new ArgumentException($"--srtp {o.SrtpCalls} must be between 0 and --calls {o.Calls}");
        }
        if (o.WebRtcCalls < 0 || o.WebRtcCalls > o.Calls || (o.WebRtcCalls > 0 && o.SrtpCalls > 0))
        {
            throw new ArgumentException($"--webrtc {o.WebRtcCalls} must be between 0 and --calls {o.Calls}, and does not mix with --srtp");
        }
        if (o.RatePerSecond <= 0)
        {
            o.RatePerSecond = Math.Max(10, o.Calls / 10.0);
        }
        if (o.TimeoutSeconds <= 0)
        {
            o.TimeoutSeconds = o.Calls / o.RatePerSecond + o.CallSeconds + 60;
        }
        return o;
    }

    /// <summary>Whether call <paramref name="index"/> (0-based) offers SRTP: the SRTP calls are spread evenly.</summary>
    public bool IsSrtp(int index) => (long)(index + 1) * SrtpCalls / Calls > (long)index * SrtpCalls / Calls;

    /// <summary>Whether call <paramref name="index"/> is a WebRTC-style leg (DTLS-SRTP + Opus), spread evenly.</summary>
    public bool IsWebRtc(int index) => (long)(index + 1) * WebRtcCalls / Calls > (long)index * WebRtcCalls / Calls;

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);
}
