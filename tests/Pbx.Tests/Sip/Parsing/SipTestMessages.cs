using System.Text;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Tests.Sip.Parsing;

/// <summary>Sample messages and a structural comparison for round-trip tests.</summary>
internal static class SipTestMessages
{
    public const string Invite =
        "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>\r\n" +
        "From: \"Alice \\\"A\\\"\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:alice@pc33.atlanta.example.com>\r\n" +
        "Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 25\r\n" +
        "\r\n" +
        "v=0\r\no=- 1 1 IN IP4 ::1\r\n";

    public const string Ok =
        "SIP/2.0 200 OK\r\n" +
        "Via: SIP/2.0/UDP server10.biloxi.example.com;branch=z9hG4bKnashds8;received=192.0.2.3\r\n" +
        "Via: SIP/2.0/UDP bigbox3.site3.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1\r\n" +
        "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n" +
        "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n" +
        "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n" +
        "CSeq: 314159 INVITE\r\n" +
        "Contact: <sip:bob@192.0.2.4>\r\n" +
        "Content-Length: 0\r\n" +
        "\r\n";

    public static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    public static SipMessage Parse(string text)
    {
        Assert.True(SipMessageParser.TryParse(Bytes(text), out var message, out var error), error?.ToString());
        return message;
    }

    public static SipParseError ParseError(string text)
    {
        Assert.False(SipMessageParser.TryParse(Bytes(text), out _, out var error));
        return error;
    }

    /// <summary>Start line, header fields (Content-Length aside) and body, one per line: equal means same message.</summary>
    public static string Describe(SipMessage message)
    {
        var sb = new StringBuilder();
        switch (message)
        {
            case SipRequest r:
                sb.Append(r.Method).Append(' ').Append(r.RequestUri).Append('\n');
                break;
            case SipResponse r:
                sb.Append(r.StatusCode).Append(' ').Append(r.ReasonPhrase).Append('\n');
                break;
        }

        foreach (var (name, value) in message.Headers)
        {
            if (name != HeaderName.ContentLength)
            {
                sb.Append(name).Append(": ").Append(value).Append('\n');
            }
        }

        return sb.Append(Convert.ToHexString(message.Body)).ToString();
    }

    /// <summary>Serializes, parses again and checks the result equals the original.</summary>
    public static void AssertRoundTrips(SipMessage message)
    {
        var bytes = message.ToBytes();
        Assert.True(SipMessageParser.TryParse(bytes, out var again, out var error),
            $"re-serialized message failed: {error}\n{Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(Describe(message), Describe(again));
        Assert.Equal(bytes, again.ToBytes());
    }
}
