using System.Text;
using Telephony.Pbx.Sdp;
using static Telephony.Pbx.Tests.Sdp.SdpTestData;

namespace Telephony.Pbx.Tests.Sdp;

/// <summary>Hostile bodies: every limit in <see cref="SdpLimits"/> produces an error, never an exception.</summary>
public class SdpLimitsTests
{
    private const string Head = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n";

    [Fact]
    public void Huge_body_is_too_large()
    {
        string text = Head + "a=x:" + new string('a', SdpLimits.MaxSizeBytes) + "\r\n";
        Assert.Equal(SdpErrorKind.TooLarge, Fail(text).Kind);
        Assert.False(SdpParser.TryParse(Encoding.UTF8.GetBytes(text), out _, out SdpError? e));
        Assert.Equal(SdpErrorKind.TooLarge, e!.Kind);
    }

    [Fact]
    public void Long_line_is_rejected_with_its_number()
    {
        SdpError e = Fail(Head + "a=x:" + new string('a', SdpLimits.MaxLineLength) + "\r\n");
        Assert.Equal((SdpErrorKind.LineTooLong, 6), (e.Kind, e.LineNumber));
    }

    [Fact]
    public void Too_many_lines_is_rejected()
    {
        var sb = new StringBuilder(Head);
        for (int i = 0; i < SdpLimits.MaxLines; i++)
        {
            sb.Append("a=x\n");
        }

        Assert.Equal(SdpErrorKind.TooManyLines, Fail(sb.ToString()).Kind);
    }

    [Fact]
    public void Ten_thousand_m_lines_are_rejected()
    {
        var sb = new StringBuilder(Head);
        for (int i = 0; i < 10_000; i++)
        {
            sb.Append("m=audio 1 RTP/AVP 0\n");
        }

        SdpError e = Fail(sb.ToString());
        Assert.True(e.Kind is SdpErrorKind.TooManyMedia or SdpErrorKind.TooLarge or SdpErrorKind.TooManyLines);

        var small = new StringBuilder(Head);
        for (int i = 0; i <= SdpLimits.MaxMediaCount; i++)
        {
            small.Append("m=audio 1 RTP/AVP 0\n");
        }

        Assert.Equal(SdpErrorKind.TooManyMedia, Fail(small.ToString()).Kind);
    }

    [Fact]
    public void Binary_garbage_is_rejected()
    {
        var random = new Random(4566);
        for (int i = 0; i < 200; i++)
        {
            byte[] junk = new byte[random.Next(0, 600)];
            random.NextBytes(junk);
            Assert.False(SdpParser.TryParse(junk, out _, out SdpError? e));
            Assert.NotNull(e);
        }
    }

    [Fact]
    public void Invalid_utf8_is_an_encoding_error()
    {
        byte[] bytes = [.. Encoding.ASCII.GetBytes("v=0\r\ns="), 0xC3, 0x28, (byte)'\r', (byte)'\n'];
        Assert.False(SdpParser.TryParse(bytes, out _, out SdpError? e));
        Assert.Equal(SdpErrorKind.InvalidEncoding, e!.Kind);
    }

    [Fact]
    public void Too_many_formats_on_one_m_line_is_rejected()
    {
        string formats = string.Join(' ', Enumerable.Range(0, SdpLimits.MaxFormatsPerMedia + 1).Select(i => (i % 128).ToString()));
        Assert.Equal(SdpErrorKind.OutOfRange, Fail(Head + "m=audio 1 RTP/AVP " + formats + "\r\n").Kind);
    }
}
