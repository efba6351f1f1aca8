using System.Text;
using BenchmarkDotNet.Attributes;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Benchmarks;

/// <summary>
/// Parse one typical INVITE with an SDP offer (RFC 3261 §7, RFC 4566 body), as a trunk or phone sends it:
/// <see cref="SipMessageParser.TryParse"/> on the datagram bytes. SIP is allowed to allocate (strings for the
/// values the call layer reads); the number to watch is bytes per message.
/// </summary>
[MemoryDiagnoser]
public class SipParseBenchmarks
{
    private static readonly byte[] Invite = Encoding.ASCII.GetBytes(string.Join("\r\n",
        "INVITE sip:9002@127.0.0.1:5060 SIP/2.0",
        "Via: SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-524287-1---8f3a2c1d;rport",
        "Max-Forwards: 70",
        "From: \"Bench Caller\" <sip:+15550000001@127.0.0.2:5070>;tag=8f3a2c1d",
        "To: <sip:9002@127.0.0.1:5060>",
        "Call-ID: 1-4711@127.0.0.2",
        "CSeq: 1 INVITE",
        "Contact: <sip:+15550000001@127.0.0.2:5070;transport=udp>",
        "Allow: INVITE, ACK, CANCEL, BYE, OPTIONS, INFO, UPDATE, REFER, NOTIFY",
        "Supported: replaces, timer",
        "User-Agent: Bench/1.0",
        "Content-Type: application/sdp",
        "Content-Length: 234",
        "",
        "v=0",
        "o=bench 53655765 2353687637 IN IP4 127.0.0.2",
        "s=-",
        "c=IN IP4 127.0.0.2",
        "t=0 0",
        "m=audio 26004 RTP/AVP 0 8 101",
        "a=rtpmap:0 PCMU/8000",
        "a=rtpmap:8 PCMA/8000",
        "a=rtpmap:101 telephone-event/8000",
        "a=fmtp:101 0-16",
        "a=ptime:20",
        "a=sendrecv",
        ""));

    private SipMessage _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!SipMessageParser.TryParse(Invite, out var message, out var error) || message is not SipRequest)
        {
            throw new InvalidOperationException($"benchmark INVITE does not parse: {error?.Message}");
        }

        _parsed = message;
    }

    /// <summary>The same INVITE serialized again (<see cref="SipMessage.ToBytes"/>, as every message sent is).</summary>
    [Benchmark]
    public byte[] SerializeInviteWithSdp() => _parsed.ToBytes();

    [Benchmark]
    public SipMessage? ParseInviteWithSdp() =>
        SipMessageParser.TryParse(Invite, out var message, out _) ? message : null;
}
