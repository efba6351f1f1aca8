using System.Globalization;
using System.Text;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>SDP bodies a test phone offers or answers with (RFC 4566; PCMU/PCMA and telephone-event).</summary>
internal static class Sdp
{
    public static byte[] Audio(string ip, int port, string direction = "sendrecv", string codecs = "0 8 101") =>
        Encoding.ASCII.GetBytes(
            string.Create(CultureInfo.InvariantCulture,
                $"v=0\r\no=- 1 1 IN IP4 {ip}\r\ns=-\r\nc=IN IP4 {ip}\r\nt=0 0\r\nm=audio {port} RTP/AVP {codecs}\r\n") +
            "a=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n" +
            $"a={direction}\r\n");

    /// <summary>An SRTP offer (RFC 3711 RTP/SAVP) with the given RFC 4568 a=crypto lines.</summary>
    public static byte[] Secure(string ip, int port, IEnumerable<string> crypto, string protocol = "RTP/SAVP") =>
        Encoding.ASCII.GetBytes(
            Encoding.ASCII.GetString(Audio(ip, port)).Replace("RTP/AVP", protocol, StringComparison.Ordinal) +
            string.Concat(crypto.Select(c => "a=crypto:" + c + "\r\n")));

    /// <summary>An answer that takes PCMU only.</summary>
    public static byte[] AnswerPcmu(string ip, int port) => Audio(ip, port, codecs: "0 101");
}
