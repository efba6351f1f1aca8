using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using static Telephony.Pbx.Tests.Sip.Parsing.SipTestMessages;

namespace Telephony.Pbx.Tests.Sip.Parsing;

public sealed class SipStreamFramerTests
{
    [Fact]
    public void Whole_message_is_complete()
    {
        var bytes = Bytes(Invite);
        Assert.Equal(SipFrameStatus.Complete, SipStreamFramer.TryFrame(bytes, out var start, out var length, out var error));
        Assert.Null(error);
        Assert.Equal(0, start);
        Assert.Equal(bytes.Length, length);
        Assert.True(SipMessageParser.TryParse(bytes.AsSpan(start, length), out _, out _));
    }

    [Fact]
    public void Every_prefix_of_a_message_needs_more_data()
    {
        var bytes = Bytes(Invite);
        for (var n = 0; n < bytes.Length; n++)
        {
            Assert.Equal(SipFrameStatus.NeedMoreData, SipStreamFramer.TryFrame(bytes.AsSpan(0, n), out _, out _, out _));
        }
    }

    [Fact]
    public void Leading_keepalives_are_skipped()
    {
        var bytes = Bytes("\r\n\r\n\r\n" + Ok);
        Assert.Equal(SipFrameStatus.Complete, SipStreamFramer.TryFrame(bytes, out var start, out var length, out _));
        Assert.Equal(6, start);
        Assert.Equal(bytes.Length - 6, length);
    }

    [Fact]
    public void Keepalive_only_needs_more_data_and_reports_skippable_bytes()
    {
        Assert.Equal(SipFrameStatus.NeedMoreData, SipStreamFramer.TryFrame(Bytes("\r\n\r\n"), out var start, out _, out _));
        Assert.Equal(4, start);
    }

    [Fact]
    public void Back_to_back_messages_frame_one_at_a_time()
    {
        var bytes = Bytes(Invite + Ok);
        Assert.Equal(SipFrameStatus.Complete, SipStreamFramer.TryFrame(bytes, out var s1, out var l1, out _));
        Assert.Equal(Bytes(Invite).Length, l1);
        Assert.Equal(SipFrameStatus.Complete, SipStreamFramer.TryFrame(bytes.AsSpan(s1 + l1), out _, out var l2, out _));
        Assert.Equal(Bytes(Ok).Length, l2);
    }

    [Fact]
    public void Compact_content_length_is_used()
    {
        var text = Ok.Replace("Content-Length: 0", "l: 3", StringComparison.Ordinal) + "abc";
        Assert.Equal(SipFrameStatus.Complete, SipStreamFramer.TryFrame(Bytes(text), out _, out var length, out _));
        Assert.Equal(Bytes(text).Length, length);
    }

    [Fact]
    public void Missing_content_length_is_invalid_with_answerable_400()
    {
        var text = Invite.Replace("Content-Length: 25\r\n", "", StringComparison.Ordinal);
        Assert.Equal(SipFrameStatus.Invalid, SipStreamFramer.TryFrame(Bytes(text), out _, out _, out var error));
        Assert.Equal(SipParseErrorReason.MissingHeader, error!.Reason);
        Assert.Equal(HeaderName.ContentLength, error.Header);
        Assert.Equal(400, error.StatusCode);
        Assert.Equal(SipMethod.Invite, error.Partial!.Method);
    }

    [Theory]
    [InlineData("Content-Length: -5")]
    [InlineData("Content-Length: x")]
    [InlineData("Content-Length: 0\r\nl: 0")]
    public void Bad_content_length_is_invalid(string header)
    {
        var text = Ok.Replace("Content-Length: 0", header, StringComparison.Ordinal);
        Assert.Equal(SipFrameStatus.Invalid, SipStreamFramer.TryFrame(Bytes(text), out _, out _, out var error));
        Assert.Equal(SipParseErrorReason.BadContentLength, error!.Reason);
    }

    [Fact]
    public void Oversized_body_is_invalid_413()
    {
        var text = Ok.Replace("Content-Length: 0", $"Content-Length: {SipLimits.MaxBodyBytes + 1}", StringComparison.Ordinal);
        Assert.Equal(SipFrameStatus.Invalid, SipStreamFramer.TryFrame(Bytes(text), out _, out _, out var error));
        Assert.Equal(413, error!.StatusCode);
    }

    [Fact]
    public void Endless_header_section_is_invalid()
    {
        var text = "INVITE sip:a@b SIP/2.0\r\nX: " + new string('x', SipLimits.MaxHeaderSectionBytes);
        Assert.Equal(SipFrameStatus.Invalid, SipStreamFramer.TryFrame(Bytes(text), out _, out _, out var error));
        Assert.Equal(SipParseErrorReason.MessageTooLarge, error!.Reason);
    }
}
