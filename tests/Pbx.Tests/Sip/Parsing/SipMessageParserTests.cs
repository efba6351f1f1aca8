using System.Text;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using static Telephony.Pbx.Tests.Sip.Parsing.SipTestMessages;

namespace Telephony.Pbx.Tests.Sip.Parsing;

public sealed class SipMessageParserTests
{
    private const string MinimalHeaders =
        "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n" +
        "From: <sip:a@example.com>;tag=1\r\n" +
        "To: <sip:b@example.com>\r\n" +
        "Call-ID: c1\r\n" +
        "CSeq: 1 OPTIONS\r\n";

    private static string Options(string extraHeaders = "", string body = "", string? contentLength = "auto") =>
        "OPTIONS sip:b@example.com SIP/2.0\r\n" + MinimalHeaders + extraHeaders +
        (contentLength == "auto" ? $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n"
            : contentLength is null ? "" : $"Content-Length: {contentLength}\r\n") +
        "\r\n" + body;

    [Fact]
    public void Invite_parses_with_typed_views()
    {
        var m = Assert.IsType<SipRequest>(Parse(Invite));
        Assert.Equal(SipMethod.Invite, m.Method);
        Assert.Same(SipMethod.Invite, m.Method);
        Assert.Equal("sip:bob@biloxi.example.com", m.RequestUri.ToString());
        Assert.Equal("a84b4c76e66710@pc33.atlanta.example.com", m.CallId);
        Assert.Equal(new CSeq(314159, "INVITE"), m.CSeq);
        Assert.Equal("Alice \"A\"", m.From!.DisplayName);
        Assert.Equal("1928301774", m.From.Tag);
        Assert.Null(m.To!.Tag);
        Assert.Equal("z9hG4bK776asdhds", m.TopVia!.Branch);
        Assert.True(m.TopVia.HasRPort);
        Assert.Equal(70, m.MaxForwards);
        Assert.Equal("application/sdp", m.ContentType);
        Assert.Equal(2, m.Headers.GetAll(HeaderName.RecordRoute).Count);
        Assert.Equal("v=0\r\no=- 1 1 IN IP4 ::1\r\n", Encoding.UTF8.GetString(m.Body));
        AssertRoundTrips(m);
    }

    [Fact]
    public void Response_parses_with_vias_in_order()
    {
        var m = Assert.IsType<SipResponse>(Parse(Ok));
        Assert.Equal(200, m.StatusCode);
        Assert.Equal("OK", m.ReasonPhrase);
        Assert.Equal(["server10.biloxi.example.com", "bigbox3.site3.atlanta.example.com"], m.Vias.Select(v => v.Host));
        Assert.Equal("192.0.2.3", m.TopVia!.Received);
        AssertRoundTrips(m);
    }

    [Fact]
    public void Folded_header_lines_are_unfolded()
    {
        var m = Parse(Options("Subject: first\r\n second\r\n\tthird\r\n"));
        Assert.Equal("first  second \tthird", m.Headers.Get(HeaderName.Subject));
    }

    [Fact]
    public void Compact_and_mixed_case_names_are_canonicalized()
    {
        var text = "OPTIONS sip:b@example.com SIP/2.0\r\n" +
                   "v: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\nf: <sip:a@example.com>;tag=1\r\nT: <sip:b@example.com>\r\n" +
                   "i: c1\r\ncseq: 1 OPTIONS\r\nm: <sip:a@192.0.2.1>\r\nc: text/plain\r\nk: timer\r\nL: 2\r\n\r\nhi";
        var m = Parse(text);
        Assert.Equal(
            [HeaderName.Via, HeaderName.From, HeaderName.To, HeaderName.CallId, HeaderName.CSeq, HeaderName.Contact,
                HeaderName.ContentType, HeaderName.Supported, HeaderName.ContentLength],
            m.Headers.Select(h => h.Key));
        Assert.Equal("hi", Encoding.UTF8.GetString(m.Body));
    }

    [Fact]
    public void Repeated_headers_keep_order_and_comma_lists_split()
    {
        var m = Parse(Options("Route: <sip:p1.example.com;lr>\r\nRoute: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>\r\n" +
                              "Allow: INVITE, ACK,BYE\r\n"));
        Assert.Equal(2, m.Headers.Where(h => h.Key == HeaderName.Route).Count());
        Assert.Equal(["<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>", "<sip:p3.example.com;lr>"],
            m.Headers.GetAll(HeaderName.Route));
        Assert.Equal(["INVITE", "ACK", "BYE"], m.Headers.GetAll(HeaderName.Allow));
    }

    [Fact]
    public void Unknown_method_parses()
    {
        var text = Options().Replace("OPTIONS", "FOO", StringComparison.Ordinal);
        Assert.Equal("FOO", Assert.IsType<SipRequest>(Parse(text)).Method);
    }

    [Fact]
    public void Leading_crlf_before_start_line_is_ignored()
    {
        Assert.IsType<SipRequest>(Parse("\r\n\r\n" + Options()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    public void Empty_or_keepalive_datagram_is_empty(string text)
    {
        var e = ParseError(text);
        Assert.Equal(SipParseErrorReason.Empty, e.Reason);
        Assert.Null(e.Partial);
    }

    [Fact]
    public void Missing_content_length_on_udp_takes_rest_of_datagram()
    {
        Assert.Equal("abc", Encoding.UTF8.GetString(Parse(Options(body: "abc", contentLength: null)).Body));
    }

    [Fact]
    public void Smaller_content_length_truncates_body()
    {
        Assert.Equal("ab", Encoding.UTF8.GetString(Parse(Options(body: "abcdef", contentLength: "2")).Body));
    }

    [Fact]
    public void Larger_content_length_is_a_mismatch_answerable_with_400()
    {
        var e = ParseError(Options(body: "abc", contentLength: "4"));
        Assert.Equal(SipParseErrorReason.ContentLengthMismatch, e.Reason);
        Assert.Equal(400, e.StatusCode);
        Assert.NotNull(e.Partial);
        Assert.Empty(e.Partial.Body);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1 2")]
    [InlineData("")]
    public void Bad_content_length_is_rejected(string value)
    {
        Assert.Equal(SipParseErrorReason.BadContentLength, ParseError(Options(contentLength: value)).Reason);
    }

    [Fact]
    public void Binary_body_with_nul_and_bare_cr_is_kept()
    {
        var head = Options(contentLength: "8");
        var bytes = Bytes(head).Concat(new byte[] { 0, 13, 255, 10, 0, 1, 2, 13 }).ToArray();
        Assert.True(SipMessageParser.TryParse(bytes, out var m, out _));
        Assert.Equal(new byte[] { 0, 13, 255, 10, 0, 1, 2, 13 }, m.Body);
        AssertRoundTrips(m);
    }

    [Theory]
    [InlineData("X-Bad: a\0b\r\n")]
    [InlineData("X-Bad: a\rb\r\n")]
    [InlineData("X-Bad: \u0001\r\n")]
    public void Control_bytes_in_headers_are_binary(string header)
    {
        var e = ParseError(Options(header));
        Assert.Equal(SipParseErrorReason.Binary, e.Reason);
        Assert.Null(e.Partial);
    }

    [Fact]
    public void Garbage_is_rejected_without_partial()
    {
        var e = ParseError("\u0016\u0003\u0001\0\u00a5garbage\r\n\r\n");
        Assert.Null(e.Partial);
    }

    [Theory]
    [InlineData("OPTIONS  sip:b@example.com SIP/2.0")]
    [InlineData("OPTIONS sip:b@example.com SIP/2.0 ")]
    [InlineData("OPTIONS sip:b@example.com")]
    [InlineData("OPTIONS")]
    [InlineData("OPT(ONS sip:b@example.com SIP/2.0")]
    [InlineData("OPTIONS sip:b@example.com HTTP/1.1")]
    [InlineData("SIP/2.0 20 OK")]
    [InlineData("SIP/2.0 2000 OK")]
    [InlineData("SIP/2.0 099 Low")]
    [InlineData("SIP/2.0 700 High")]
    public void Malformed_start_lines_are_rejected(string startLine)
    {
        var e = ParseError(startLine + "\r\n" + MinimalHeaders + "\r\n");
        Assert.True(e.Reason is SipParseErrorReason.BadStartLine, e.ToString());
        Assert.Null(e.Partial);
    }

    [Fact]
    public void Other_sip_version_in_request_is_505_with_partial()
    {
        var e = ParseError(Options().Replace("b@example.com SIP/2.0", "b@example.com SIP/3.0", StringComparison.Ordinal));
        Assert.Equal(SipParseErrorReason.BadVersion, e.Reason);
        Assert.Equal(505, e.StatusCode);
        Assert.NotNull(e.Partial);
    }

    [Fact]
    public void Other_sip_version_in_response_is_dropped()
    {
        var e = ParseError(Ok.Replace("SIP/2.0 200", "SIP/3.0 200", StringComparison.Ordinal));
        Assert.Equal(SipParseErrorReason.BadVersion, e.Reason);
        Assert.Null(e.Partial);
    }

    [Theory]
    [InlineData("Via")]
    [InlineData("From")]
    [InlineData("To")]
    [InlineData("Call-ID")]
    [InlineData("CSeq")]
    public void Missing_mandatory_header_is_missing_header_without_partial(string name)
    {
        var text = Options();
        var start = text.IndexOf(name + ":", StringComparison.Ordinal);
        text = text.Remove(start, text.IndexOf("\r\n", start, StringComparison.Ordinal) + 2 - start);
        var e = ParseError(text);
        Assert.Equal(SipParseErrorReason.MissingHeader, e.Reason);
        Assert.Equal(name, e.Header);
        Assert.Null(e.Partial);
    }

    [Fact]
    public void Missing_max_forwards_is_tolerated()
    {
        Assert.Null(Parse(Options()).MaxForwards);
    }

    [Theory]
    [InlineData("Max-Forwards: 256", "Max-Forwards")]
    [InlineData("Max-Forwards: -1", "Max-Forwards")]
    [InlineData("Expires: 4294967296", "Expires")]
    [InlineData("Contact: <sip:a@b", "Contact")]
    [InlineData("Route: *", "Route")]
    [InlineData("Date: Sat, 13 Nov 2010 23:29:00 PST", "Date")]
    public void Bad_checked_header_values_are_answerable_400(string header, string name)
    {
        var e = ParseError(Options(header + "\r\n"));
        Assert.Equal(SipParseErrorReason.BadHeaderValue, e.Reason);
        Assert.Equal(name, e.Header);
        Assert.Equal(400, e.StatusCode);
        Assert.NotNull(e.Partial);
    }

    [Fact]
    public void Good_date_max_forwards_and_expires_pass()
    {
        Parse(Options("Max-Forwards: 255\r\nExpires: 4294967295\r\nDate: Sat, 13 Nov 2010 23:29:00 GMT\r\nContact: *\r\n"));
    }

    [Fact]
    public void Header_line_without_colon_is_bad_header_with_partial()
    {
        var e = ParseError(Options("NoColonHere\r\n"));
        Assert.Equal(SipParseErrorReason.BadHeader, e.Reason);
        Assert.NotNull(e.Partial);
    }

    [Fact]
    public void Missing_empty_line_is_incomplete()
    {
        Assert.Equal(SipParseErrorReason.Incomplete,
            ParseError("OPTIONS sip:b@example.com SIP/2.0\r\n" + MinimalHeaders).Reason);
    }

    [Fact]
    public void Request_uri_with_headers_is_bad_uri()
    {
        var e = ParseError(Options().Replace("sip:b@example.com SIP", "sip:b@example.com?Subject=x SIP", StringComparison.Ordinal));
        Assert.Equal(SipParseErrorReason.BadUri, e.Reason);
        Assert.Equal("x", e.Partial!.RequestUri.Headers["Subject"]);
    }

    [Fact]
    public void Unparsable_request_uri_gives_partial_with_placeholder_uri()
    {
        var e = ParseError(Options().Replace("sip:b@example.com SIP", "sip:b@exa mple SIP", StringComparison.Ordinal)
            .Replace("OPTIONS sip:b@exa mple", "OPTIONS sip:b@[bad", StringComparison.Ordinal));
        Assert.Equal(SipParseErrorReason.BadUri, e.Reason);
        Assert.Equal("sip:invalid", e.Partial!.RequestUri.ToString());
    }

    [Fact]
    public void Tel_request_uri_is_accepted()
    {
        var m = Assert.IsType<SipRequest>(Parse(Options().Replace("sip:b@example.com SIP", "tel:+1-201-555-0123 SIP", StringComparison.Ordinal)));
        Assert.Equal("tel", m.RequestUri.Scheme);
        Assert.Equal("+1-201-555-0123", m.RequestUri.User);
    }

    [Fact]
    public void Limits_have_their_documented_values()
    {
        Assert.Equal(65535, SipLimits.MaxMessageBytes);
        Assert.Equal(8192, SipLimits.MaxHeaderLineBytes);
        Assert.Equal(256, SipLimits.MaxHeaders);
        Assert.Equal(32768, SipLimits.MaxBodyBytes);
        Assert.Equal(4096, SipLimits.MaxRequestUriBytes);
        Assert.Equal(255, SipLimits.MaxMaxForwards);
    }

    [Fact]
    public void Message_over_max_bytes_is_513()
    {
        var text = Options(contentLength: null) + new string('x', SipLimits.MaxMessageBytes);
        var e = ParseError(text);
        Assert.Equal(SipParseErrorReason.MessageTooLarge, e.Reason);
        Assert.Equal(513, e.StatusCode);
    }

    [Fact]
    public void Body_over_max_bytes_is_413()
    {
        var body = new string('x', SipLimits.MaxBodyBytes + 1);
        var e = ParseError(Options(body: body));
        Assert.Equal(SipParseErrorReason.BodyTooLarge, e.Reason);
        Assert.Equal(413, e.StatusCode);
        Assert.NotNull(e.Partial);
        Assert.Equal(SipMethod.Options, Parse(Options(body: body[1..])).CSeq.Method);
    }

    [Fact]
    public void Header_line_over_max_bytes_is_header_too_long()
    {
        var ok = "Subject: " + new string('s', SipLimits.MaxHeaderLineBytes - 9) + "\r\n";
        Parse(Options(ok));
        var e = ParseError(Options("Subject: " + new string('s', SipLimits.MaxHeaderLineBytes - 8) + "\r\n"));
        Assert.Equal(SipParseErrorReason.HeaderTooLong, e.Reason);
        Assert.Equal(HeaderName.Subject, e.Header);
        Assert.NotNull(e.Partial);
    }

    [Fact]
    public void More_than_max_headers_is_too_many_headers()
    {
        var extra = SipLimits.MaxHeaders - 6; // Minimal has 5, plus Content-Length
        Parse(Options(string.Concat(Enumerable.Repeat("X-A: 1\r\n", extra))));
        var e = ParseError(Options(string.Concat(Enumerable.Repeat("X-A: 1\r\n", extra + 1))));
        Assert.Equal(SipParseErrorReason.TooManyHeaders, e.Reason);
        Assert.NotNull(e.Partial);
    }

    [Fact]
    public void Request_uri_over_max_bytes_is_414()
    {
        var user = new string('u', SipLimits.MaxRequestUriBytes);
        var e = ParseError(Options().Replace("sip:b@example.com SIP", $"sip:{user}@example.com SIP", StringComparison.Ordinal));
        Assert.Equal(SipParseErrorReason.RequestUriTooLong, e.Reason);
        Assert.Equal(414, e.StatusCode);
        Assert.NotNull(e.Partial);
    }

    [Fact]
    public void Duplicate_single_valued_header_is_rejected()
    {
        var e = ParseError(Options("Max-Forwards: 70\r\nMax-Forwards: 69\r\n"));
        Assert.Equal(SipParseErrorReason.DuplicateHeader, e.Reason);
        Assert.Equal(HeaderName.MaxForwards, e.Header);
    }

    [Fact]
    public void Bare_lf_line_ends_are_tolerated()
    {
        var m = Parse(Options().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Equal("c1", m.CallId);
    }

    [Fact]
    public void Utf8_display_name_and_reason_round_trip()
    {
        var m = Parse(Options("Subject: héllo wörld ☎\r\n"));
        Assert.Equal("héllo wörld ☎", m.Headers.Get(HeaderName.Subject));
        AssertRoundTrips(m);
    }
}
