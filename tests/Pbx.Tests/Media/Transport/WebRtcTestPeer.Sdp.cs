using System.Globalization;
using System.Net;
using System.Text;
using Telephony.Pbx.WebRtc.Ice;

namespace Telephony.Pbx.Tests.Media.Transport;

/// <content>SDP as Chromium writes it (one audio m-line, BUNDLE, rtcp-mux, ICE and DTLS attributes) and the answer read back.</content>
internal sealed partial class WebRtcTestPeer
{
    /// <summary>Chromium's unforced audio payload list: opus, red, G722, PCMU, PCMA, CN, telephone-event 48k and 8k.</summary>
    public const string ChromiumPayloadTypes = "111 63 9 0 8 13 110 126";

    /// <summary>The setup attribute of the last answer read.</summary>
    public string? AnswerSetup { get; private set; }

    /// <summary>The last SDP answer read, as text.</summary>
    public string? AnswerText { get; private set; }

    /// <summary>
    /// An offer like Chromium's (<c>c=IN IP4 0.0.0.0</c>, port 9, our address only as a host candidate, setup actpass,
    /// mid 0 in a BUNDLE group, rtcp-mux and rtcp-rsize, transport-cc feedback, a data channel m-line when asked).
    /// </summary>
    public byte[] Offer(string payloadTypes = ChromiumPayloadTypes, string profile = "UDP/TLS/RTP/SAVPF",
        bool dataChannel = false, bool rtcpMux = true, string mid = "0")
    {
        var ip = LocalEndPoint.Address.ToString();
        var port = LocalEndPoint.Port.ToString(CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        sb.Append("v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        sb.Append(dataChannel ? $"a=group:BUNDLE {mid} 1\r\n" : $"a=group:BUNDLE {mid}\r\n");
        sb.Append("a=extmap-allow-mixed\r\na=msid-semantic: WMS stream\r\n");
        sb.Append($"m=audio 9 {profile} {payloadTypes}\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n");
        sb.Append($"a=candidate:3791247285 1 udp 2122260223 {ip} {port} typ host generation 0 network-id 1\r\n");
        Common(sb, mid);
        sb.Append("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\na=sendrecv\r\na=msid:stream track\r\n");
        if (rtcpMux)
        {
            sb.Append("a=rtcp-mux\r\n");
        }

        sb.Append("a=rtcp-rsize\r\n");
        foreach (var pt in payloadTypes.Split(' '))
        {
            sb.Append(pt switch
            {
                "111" => "a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n",
                "63" => "a=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\n",
                "9" => "a=rtpmap:9 G722/8000\r\n",
                "0" => "a=rtpmap:0 PCMU/8000\r\n",
                "8" => "a=rtpmap:8 PCMA/8000\r\n",
                "13" => "a=rtpmap:13 CN/8000\r\n",
                "110" => "a=rtpmap:110 telephone-event/48000\r\n",
                "126" => "a=rtpmap:126 telephone-event/8000\r\n",
                _ => string.Empty,
            });
        }

        sb.Append("a=ssrc:1234567 cname:peer\r\na=ssrc:1234567 msid:stream track\r\n");
        if (dataChannel)
        {
            sb.Append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n");
            Common(sb, "1");
            sb.Append("a=sctp-port:5000\r\na=max-message-size:262144\r\n");
        }

        return Encoding.ASCII.GetBytes(sb.ToString());
    }

    /// <summary>
    /// Reads the server's answer (or offer): its host candidate, ICE credentials, fingerprint, setup, and the codec and
    /// telephone-event it chose. Then <see cref="Tick"/> starts ICE and DTLS.
    /// </summary>
    public void UseAnswer(byte[] sdp)
    {
        var text = Encoding.ASCII.GetString(sdp);
        AnswerText = text;
        var lines = text.Split("\r\n");
        string Value(string prefix) => lines.First(l => l.StartsWith(prefix, StringComparison.Ordinal))[prefix.Length..];
        var candidate = Value("a=candidate:").Split(' ');
        var m = Value("m=audio ").Split(' ');
        var pt = int.Parse(m[2], CultureInfo.InvariantCulture);
        var maps = lines.Where(l => l.StartsWith("a=rtpmap:", StringComparison.Ordinal))
            .Select(l => l["a=rtpmap:".Length..].Split(' '))
            .ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => p[1]);
        var opus = maps[pt].StartsWith("opus/", StringComparison.OrdinalIgnoreCase);
        int? te = maps.Where(p => p.Value.StartsWith("telephone-event/", StringComparison.Ordinal)).Select(p => (int?)p.Key)
            .FirstOrDefault();
        AnswerSetup = Value("a=setup:");
        Target(new IPEndPoint(IPAddress.Parse(candidate[4]), int.Parse(candidate[5], CultureInfo.InvariantCulture)),
            new IceCredentials(Value("a=ice-ufrag:"), Value("a=ice-pwd:")), Value("a=fingerprint:"), opus, pt, te);
    }

    private void Common(StringBuilder sb, string mid)
    {
        sb.Append($"a=ice-ufrag:{Ice.Ufrag}\r\na=ice-pwd:{Ice.Password}\r\na=ice-options:trickle\r\n");
        sb.Append($"a=fingerprint:{Certificate.SdpFingerprint}\r\na=setup:actpass\r\na=mid:{mid}\r\n");
    }
}
