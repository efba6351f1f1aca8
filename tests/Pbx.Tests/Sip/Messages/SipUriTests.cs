using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class SipUriTests
{
    [Fact]
    public void Full_sip_uri_parses_into_parts()
    {
        var uri = SipUri.Parse("sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent");
        Assert.Equal("sips", uri.Scheme);
        Assert.Equal("alice", uri.User);
        Assert.Equal("secret", uri.Password);
        Assert.Equal("atlanta.example.com", uri.Host);
        Assert.Equal(5061, uri.Port);
        Assert.Equal("tcp", uri.Parameters["transport"]);
        Assert.True(uri.Parameters.ContainsKey("LR"));
        Assert.Null(uri.Parameters["lr"]);
        Assert.Equal("project x", uri.Headers["subject"]);
        Assert.Equal("sips:alice:secret@atlanta.example.com:5061;transport=tcp;lr?subject=project%20x&priority=urgent",
            uri.ToString());
    }

    [Theory]
    [InlineData("sip:[::1]", "[::1]", null)]
    [InlineData("sip:bob@[2001:db8::10]:5070;transport=udp", "[2001:db8::10]", 5070)]
    [InlineData("sip:[2001:db8::9:255]", "[2001:db8::9:255]", null)]
    [InlineData("sip:192.0.2.1:5060", "192.0.2.1", 5060)]
    [InlineData("SIP:Host.Example.COM", "Host.Example.COM", null)]
    public void Hosts_including_ipv6_keep_brackets(string text, string host, int? port)
    {
        var uri = SipUri.Parse(text);
        Assert.Equal(host, uri.Host);
        Assert.Equal(port, uri.Port);
        Assert.Equal("sip", uri.Scheme);
        Assert.True(SipUri.TryParse(uri.ToString(), out var again));
        Assert.Equal(uri.ToString(), again.ToString());
    }

    [Fact]
    public void Escaped_user_is_unescaped_and_escaped_again()
    {
        var uri = SipUri.Parse("sip:sips%3Auser%40example.com@example.net");
        Assert.Equal("sips:user@example.com", uri.User);
        Assert.Equal("sip:sips%3Auser%40example.com@example.net", uri.ToString());
    }

    [Fact]
    public void User_with_spaces_and_utf8_is_escaped_on_output()
    {
        var uri = new SipUri("sip", "José Ü", "example.com");
        Assert.Equal("sip:Jos%C3%A9%20%C3%9C@example.com", uri.ToString());
        Assert.Equal("José Ü", SipUri.Parse(uri.ToString()).User);
    }

    [Fact]
    public void Unneeded_escapes_normalize()
    {
        Assert.Equal("sip:user@example.com", SipUri.Parse("sip:%75se%72@example.com").ToString());
    }

    [Fact]
    public void Parameter_values_are_unescaped_and_reescaped()
    {
        var uri = SipUri.Parse("sip:a@b;n%61me=v%61lue%25%34%31");
        Assert.Equal("value%41", uri.Parameters["name"]);
        Assert.Equal("sip:a@b;name=value%2541", uri.ToString());
    }

    [Fact]
    public void Tel_uri_keeps_number_and_parameters()
    {
        var uri = SipUri.Parse("tel:+1-201-555-0123;phone-context=example.com");
        Assert.Equal("tel", uri.Scheme);
        Assert.Equal("+1-201-555-0123", uri.User);
        Assert.Equal("", uri.Host);
        Assert.Equal("example.com", uri.Parameters["phone-context"]);
        Assert.Equal("tel:+1-201-555-0123;phone-context=example.com", uri.ToString());
        Assert.False(uri.IsSip);
    }

    [Fact]
    public void Unknown_scheme_is_kept_opaque()
    {
        var uri = SipUri.Parse("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6");
        Assert.Equal("urn", uri.Scheme);
        Assert.Equal("urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6", uri.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sip:")]
    [InlineData("sip:@host")]
    [InlineData("sip:user@")]
    [InlineData("sip:host:99999")]
    [InlineData("sip:host:")]
    [InlineData("sip:[::1")]
    [InlineData("sip:[zz::1]")]
    [InlineData("sip:ho st")]
    [InlineData("sip:host;;lr")]
    [InlineData("sip:host;a=1;a=2")]
    [InlineData("sip:us%zzer@host")]
    [InlineData("sip:us%FFer@host")]
    [InlineData("sip:host?")]
    [InlineData("<sip:host>")]
    [InlineData("1sip:host")]
    [InlineData("sip:-host")]
    [InlineData("sip:user@host?a")]
    public void Malformed_uris_are_rejected(string? text)
    {
        Assert.False(SipUri.TryParse(text, out _));
    }

    [Fact]
    public void Parse_throws_format_exception_on_bad_text()
    {
        Assert.Throws<FormatException>(() => SipUri.Parse("sip:"));
    }

    [Fact]
    public void Clone_is_deep()
    {
        var uri = SipUri.Parse("sip:a@b;lr?h=v");
        var copy = uri.Clone();
        copy.Parameters["transport"] = "tcp";
        copy.Headers.Remove("h");
        copy.User = "z";
        Assert.Equal("sip:a@b;lr?h=v", uri.ToString());
        Assert.Equal("sip:z@b;lr;transport=tcp", copy.ToString());
    }

    [Fact]
    public void Parameters_keep_insertion_order()
    {
        var uri = new SipUri("example.com");
        uri.Parameters["b"] = "2";
        uri.Parameters["a"] = null;
        uri.Parameters["B"] = "3";
        Assert.Equal("sip:example.com;b=3;a", uri.ToString());
    }
}
