using System.Text;
using Telephony.Pbx.Sdp;
using static Telephony.Pbx.Tests.Sdp.SdpTestData;

namespace Telephony.Pbx.Tests.Sdp;

public class SdpParserTests
{
    private const string Basic =
        "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=call\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" +
        "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n";

    public static TheoryData<string> Vectors => new(Directory.GetFiles(
        Path.Combine(AppContext.BaseDirectory, "Vectors", "sdp"), "*.sdp").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Rfc_vector_parses_and_round_trips(string file)
    {
        string text = ReadVector(file);
        SdpDescription d = Parse(text);
        string written = d.ToString();
        Assert.Equal(text.Replace("\n", "\r\n", StringComparison.Ordinal), written);
        Assert.Equal(written, Parse(written).ToString());
    }

    [Fact]
    public void Parses_all_fields_of_a_basic_offer()
    {
        SdpDescription d = Parse(Basic);
        Assert.Equal(new SdpOrigin("-", 1, 2, "IN", "IP4", "10.0.0.1"), d.Origin);
        Assert.Equal("call", d.SessionName);
        Assert.Equal(new SdpConnection("IN", "IP4", "10.0.0.1"), d.Connection);
        Assert.Equal(new SdpTiming(0, 0), d.Timings.Single());
        SdpMedia m = Assert.Single(d.Media);
        Assert.Equal(("audio", 4000, "RTP/AVP"), (m.Media, m.Port, m.Protocol));
        Assert.Equal(["0", "8", "101"], m.Formats);
        Assert.Equal([0, 8, 101], m.PayloadTypes);
        Assert.Equal(Basic, d.ToString());
    }

    [Fact]
    public void Bytes_overload_parses_utf8()
    {
        Assert.True(SdpParser.TryParse(Encoding.UTF8.GetBytes(Basic), out SdpDescription? d, out _));
        Assert.Equal(4000, d!.Media[0].Port);
    }

    [Fact]
    public void Lf_only_line_ends_are_accepted_and_written_as_crlf()
    {
        SdpDescription d = Parse(Basic.Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal(Basic, d.ToString());
    }

    [Fact]
    public void Port_count_is_kept()
    {
        SdpDescription d = Parse(Basic.Replace("m=audio 4000 ", "m=audio 4000/2 ", StringComparison.Ordinal));
        Assert.Equal(2, d.Media[0].PortCount);
        Assert.Contains("m=audio 4000/2 RTP/AVP", d.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Writes_lines_in_rfc_order_even_when_received_out_of_order()
    {
        SdpDescription d = Parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\na=tool:x\r\nt=0 0\r\ns=-\r\nc=IN IP4 1.2.3.4\r\n");
        Assert.Equal("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\na=tool:x\r\n", d.ToString());
    }

    [Fact]
    public void Bump_session_version_increments_origin()
    {
        SdpDescription d = Parse(Basic);
        d.BumpSessionVersion();
        Assert.Equal(3UL, d.Origin.SessionVersion);
        Assert.Equal(1UL, d.Origin.SessionId);
    }

    [Theory]
    [InlineData("", SdpErrorKind.MissingLine, 0)]
    [InlineData("o=- 1 1 IN IP4 1.2.3.4\r\n", SdpErrorKind.MissingLine, 1)]
    [InlineData("v=1\r\n", SdpErrorKind.Syntax, 1)]
    [InlineData("v=0\r\ns=x\r\n", SdpErrorKind.MissingLine, 0)]
    [InlineData("v=0\r\no=- 1 1 IN IP4\r\n", SdpErrorKind.Syntax, 2)]
    [InlineData("v=0\r\no=- x 1 IN IP4 1.2.3.4\r\n", SdpErrorKind.OutOfRange, 2)]
    [InlineData("v=0\r\no=- 99999999999999999999 1 IN IP4 1.2.3.4\r\n", SdpErrorKind.OutOfRange, 2)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nhello\r\n", SdpErrorKind.Syntax, 3)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nx=1\r\n", SdpErrorKind.UnexpectedLine, 3)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\no=- 1 1 IN IP4 1.2.3.4\r\n", SdpErrorKind.UnexpectedLine, 3)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nt=now later\r\n", SdpErrorKind.Syntax, 3)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4\r\n", SdpErrorKind.Syntax, 3)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio -1 RTP/AVP 0\r\n", SdpErrorKind.OutOfRange, 4)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 65536 RTP/AVP 0\r\n", SdpErrorKind.OutOfRange, 4)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 99999999999999999999999 RTP/AVP 0\r\n", SdpErrorKind.OutOfRange, 4)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000/0 RTP/AVP 0\r\n", SdpErrorKind.OutOfRange, 4)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 128\r\n", SdpErrorKind.OutOfRange, 4)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP\r\n", SdpErrorKind.Syntax, 4)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nm=audio 4000 RTP/AVP 0\r\n", SdpErrorKind.MissingLine, 3)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU\r\n", SdpErrorKind.Syntax, 5)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:200 PCMU/8000\r\n", SdpErrorKind.OutOfRange, 5)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:0 PCMU/0\r\n", SdpErrorKind.OutOfRange, 5)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\na=rtpmap:x PCMU/8000\r\n", SdpErrorKind.OutOfRange, 5)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\nc=IN IP4 1.1.1.1\r\nm=audio 4000 RTP/AVP 0\r\nt=0 0\r\n", SdpErrorKind.UnexpectedLine, 5)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\na=bad name\r\n", SdpErrorKind.Syntax, 3)]
    [InlineData("v=0\r\no=- 1 1 IN\0 IP4 1.2.3.4\r\n", SdpErrorKind.InvalidEncoding, 2)]
    [InlineData("v=0\r\no=- 1 1 IN IP4 1.2.3.4\rs=x\r\n", SdpErrorKind.InvalidEncoding, 2)]
    public void Rejects_bad_input_with_kind_and_line(string text, SdpErrorKind kind, int line)
    {
        SdpError e = Fail(text);
        Assert.Equal(kind, e.Kind);
        Assert.Equal(line, e.LineNumber);
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        if (line > 0)
        {
            Assert.StartsWith($"line {line}: ", e.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Disabled_media_without_connection_is_accepted()
    {
        SdpDescription d = Parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP 31\r\n");
        Assert.Equal(0, d.Media[0].Port);
    }

    [Fact]
    public void Non_rtp_formats_are_kept_as_text()
    {
        SdpDescription d = Parse("v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\nm=image 5000 udptl t38\r\n");
        Assert.Equal(["t38"], d.Media[0].Formats);
        Assert.False(d.Media[0].IsRtp);
    }

    [Fact]
    public void Null_is_an_error_not_an_exception()
    {
        Assert.False(SdpParser.TryParse((string?)null, out _, out SdpError? e));
        Assert.Equal(SdpErrorKind.MissingLine, e!.Kind);
    }
}
