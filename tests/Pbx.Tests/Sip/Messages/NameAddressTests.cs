using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class NameAddressTests
{
    [Fact]
    public void Quoted_display_name_with_escaped_quotes()
    {
        var na = NameAddress.Parse("\"Bob \\\"the\\\" \\\\ Builder\" <sip:bob@example.com>;tag=a1");
        Assert.Equal("Bob \"the\" \\ Builder", na.DisplayName);
        Assert.Equal("a1", na.Tag);
        Assert.Equal("\"Bob \\\"the\\\" \\\\ Builder\" <sip:bob@example.com>;tag=a1", na.ToString());
    }

    [Fact]
    public void Token_display_name_and_no_space_before_bracket()
    {
        var na = NameAddress.Parse("caller<sip:caller@example.com>;tag=323");
        Assert.Equal("caller", na.DisplayName);
        Assert.Equal("\"caller\" <sip:caller@example.com>;tag=323", na.ToString());
    }

    [Fact]
    public void Addr_spec_parameters_belong_to_the_header()
    {
        var na = NameAddress.Parse("sip:+19725552222@gw1.example.net;unknownparam;tag=x");
        Assert.Empty(na.Uri.Parameters);
        Assert.True(na.Parameters.ContainsKey("unknownparam"));
        Assert.Equal("x", na.Tag);
        Assert.Equal("<sip:+19725552222@gw1.example.net>;unknownparam;tag=x", na.ToString());
    }

    [Fact]
    public void Uri_parameters_stay_inside_brackets()
    {
        var na = NameAddress.Parse("<sip:p1.example.com;lr>");
        Assert.True(na.Uri.Parameters.ContainsKey("lr"));
        Assert.Empty(na.Parameters);
    }

    [Fact]
    public void Quoted_parameter_values_keep_quotes()
    {
        var na = NameAddress.Parse("<sip:a@192.0.2.1>;+sip.instance=\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\";expires=3600");
        Assert.Equal("\"<urn:uuid:00000000-0000-1000-8000-AABBCCDDEEFF>\"", na.Parameters["+sip.instance"]);
        Assert.Equal("3600", na.Parameters["expires"]);
        Assert.Equal(na.ToString(), NameAddress.Parse(na.ToString()).ToString());
    }

    [Fact]
    public void Lws_around_parameters_is_tolerated()
    {
        var na = NameAddress.Parse(" sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n ");
        Assert.Equal("1918181833n", na.Tag);
    }

    [Fact]
    public void Wildcard_contact()
    {
        var na = NameAddress.Parse("*");
        Assert.True(na.IsWildcard);
        Assert.Equal("*", na.ToString());
    }

    [Fact]
    public void Setting_tag_adds_and_removes_parameter()
    {
        var na = new NameAddress(SipUri.Parse("sip:a@b")) { Tag = "t1" };
        Assert.Equal("<sip:a@b>;tag=t1", na.ToString());
        na.Tag = null;
        Assert.Equal("<sip:a@b>", na.ToString());
    }

    [Fact]
    public void Display_name_control_characters_are_escaped_and_line_breaks_removed()
    {
        var na = new NameAddress(SipUri.Parse("sip:a@b"), "x\ty\u0007\r\nz");
        Assert.Equal("\"x\ty\\\u0007  z\" <sip:a@b>", na.ToString());
        Assert.Equal("x\ty\u0007  z", NameAddress.Parse(na.ToString()).DisplayName);
    }

    [Fact]
    public void Tel_uri_in_brackets()
    {
        var na = NameAddress.Parse("<tel:+16505552222>;tag=9");
        Assert.Equal("+16505552222", na.Uri.User);
        Assert.Equal("9", na.Tag);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("\"Mr. J. User <sip:j.user@example.com>")]
    [InlineData("Bell, Alexander <sip:a.g.bell@example.com>")]
    [InlineData("\"Watson\" < sip:t.watson@example.org >")]
    [InlineData("<sip:a@b")]
    [InlineData("<sip:a@b>;;")]
    [InlineData("<sip:a@b>;tag=1;tag=2")]
    [InlineData("sip:user@example.com?Route=%3Csip:sip.example.com%3E")]
    [InlineData("sip:a@b, sip:c@d")]
    [InlineData("<sip:a@b> junk")]
    public void Malformed_entries_are_rejected(string? text)
    {
        Assert.False(NameAddress.TryParse(text, out _));
    }
}
