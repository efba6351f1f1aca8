using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class SipHeadersTests
{
    [Fact]
    public void Add_canonicalizes_names_and_lookups_ignore_case()
    {
        var h = new SipHeaders();
        h.Add("v", "SIP/2.0/UDP a");
        h.Add("call-id", "x");
        h.Add("X-Custom", "1");
        Assert.Equal([HeaderName.Via, HeaderName.CallId, "X-Custom"], h.Select(p => p.Key));
        Assert.Equal("x", h.Get("I"));
        Assert.Equal("1", h.Get("x-custom"));
        Assert.True(h.Contains("VIA"));
        Assert.Null(h.Get(HeaderName.To));
        Assert.Equal(3, h.Count);
    }

    [Fact]
    public void AddFirst_pushes_a_via_on_top()
    {
        var h = new SipHeaders();
        h.Add(HeaderName.Via, "SIP/2.0/UDP b");
        h.Add(HeaderName.To, "<sip:x@y>");
        h.AddFirst(HeaderName.Via, "SIP/2.0/UDP a");
        Assert.Equal(["SIP/2.0/UDP a", "SIP/2.0/UDP b"], h.GetAll(HeaderName.Via));
        Assert.Equal(HeaderName.Via, h.First().Key);
    }

    [Fact]
    public void GetAll_splits_list_headers_at_top_level_commas_only()
    {
        var h = new SipHeaders();
        h.Add(HeaderName.Contact, "\"Doe, John\" <sip:j@a;x=1,2>;q=0.5, <sip:k@b>");
        h.Add(HeaderName.Contact, "sip:l@c");
        Assert.Equal(["\"Doe, John\" <sip:j@a;x=1,2>;q=0.5", "<sip:k@b>", "sip:l@c"], h.GetAll(HeaderName.Contact));
    }

    [Fact]
    public void GetAll_does_not_split_single_value_headers()
    {
        var h = new SipHeaders();
        h.Add(HeaderName.Date, "Sat, 13 Nov 2010 23:29:00 GMT");
        h.Add(HeaderName.WwwAuthenticate, "Digest realm=\"a\", nonce=\"b\"");
        Assert.Single(h.GetAll(HeaderName.Date));
        Assert.Single(h.GetAll(HeaderName.WwwAuthenticate));
        Assert.Empty(h.GetAll(HeaderName.Route));
    }

    [Fact]
    public void Escaped_quote_inside_quoted_string_does_not_end_it()
    {
        var h = new SipHeaders();
        h.Add(HeaderName.Contact, "\"a\\\", b\" <sip:a@b>, <sip:c@d>");
        Assert.Equal(2, h.GetAll(HeaderName.Contact).Count);
    }

    [Fact]
    public void Set_replaces_all_fields_in_place()
    {
        var h = new SipHeaders();
        h.Add(HeaderName.Via, "v");
        h.Add(HeaderName.Expires, "1");
        h.Add(HeaderName.To, "t");
        h.Add(HeaderName.Expires, "2");
        h.Set("expires", "3");
        Assert.Equal([HeaderName.Via, HeaderName.Expires, HeaderName.To], h.Select(p => p.Key));
        Assert.Equal("3", h.Get(HeaderName.Expires));
        h.Set(HeaderName.Subject, "s");
        Assert.Equal(HeaderName.Subject, h.Last().Key);
    }

    [Fact]
    public void Remove_and_RemoveFirst()
    {
        var h = new SipHeaders();
        h.Add(HeaderName.Route, "<sip:a;lr>");
        h.Add(HeaderName.Route, "<sip:b;lr>");
        h.Add(HeaderName.Route, "<sip:c;lr>");
        Assert.True(h.RemoveFirst(HeaderName.Route));
        Assert.Equal(["<sip:b;lr>", "<sip:c;lr>"], h.GetAll(HeaderName.Route));
        Assert.True(h.Remove(HeaderName.Route));
        Assert.False(h.Remove(HeaderName.Route));
        Assert.False(h.RemoveFirst(HeaderName.Route));
        Assert.Equal(0, h.Count);
    }

    [Theory]
    [InlineData("X-A", "a\r\nVia: SIP/2.0/UDP evil")]
    [InlineData("X-A", "a\nb")]
    [InlineData("Bad Name", "v")]
    [InlineData("", "v")]
    [InlineData("X:Y", "v")]
    public void Fields_that_would_break_the_message_are_refused(string name, string value)
    {
        var h = new SipHeaders();
        Assert.Throws<ArgumentException>(() => h.Add(name, value));
        Assert.Throws<ArgumentException>(() => h.AddFirst(name, value));
        Assert.Throws<ArgumentException>(() => h.Set(name, value));
        Assert.Equal(0, h.Count);
    }

    [Theory]
    [InlineData("v", "Via")]
    [InlineData("f", "From")]
    [InlineData("t", "To")]
    [InlineData("i", "Call-ID")]
    [InlineData("m", "Contact")]
    [InlineData("l", "Content-Length")]
    [InlineData("c", "Content-Type")]
    [InlineData("k", "Supported")]
    [InlineData("s", "Subject")]
    [InlineData("e", "Content-Encoding")]
    [InlineData("o", "Event")]
    [InlineData("r", "Refer-To")]
    [InlineData("b", "Referred-By")]
    [InlineData("u", "Allow-Events")]
    [InlineData("x", "Session-Expires")]
    [InlineData("CALL-ID", "Call-ID")]
    [InlineData("www-authenticate", "WWW-Authenticate")]
    [InlineData("cseq", "CSeq")]
    [InlineData("X-Unknown-Thing", "X-Unknown-Thing")]
    public void Canonicalize_maps_compact_and_case(string name, string expected)
    {
        Assert.Equal(expected, HeaderName.Canonicalize(name));
    }
}
