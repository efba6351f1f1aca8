using System.Text;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Tests.Sip.Parsing;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class SipRequestTests
{
    [Fact]
    public void Built_request_serializes_and_parses_back()
    {
        var r = new SipRequest(SipMethod.Register, SipUri.Parse("sip:registrar.example.com"));
        r.Headers.Add(HeaderName.Via, new Via("UDP", "192.0.2.7", 5060) { Branch = SipIds.NewBranch(), RPort = null }.ToString());
        r.Headers.Add(HeaderName.MaxForwards, "70");
        r.Headers.Add(HeaderName.From, new NameAddress(SipUri.Parse("sip:alice@example.com"), "Alice") { Tag = SipIds.NewTag() }.ToString());
        r.Headers.Add(HeaderName.To, new NameAddress(SipUri.Parse("sip:alice@example.com")).ToString());
        r.Headers.Add(HeaderName.CallId, SipIds.NewCallId());
        r.Headers.Add(HeaderName.CSeq, new CSeq(1, SipMethod.Register).ToString());
        r.Headers.Add(HeaderName.Contact, "<sip:alice@[2001:db8::7]:5060;transport=udp>;expires=3600");
        Assert.StartsWith("REGISTER sip:registrar.example.com SIP/2.0\r\nVia: SIP/2.0/UDP 192.0.2.7:5060;branch=z9hG4bK",
            Encoding.UTF8.GetString(r.ToBytes()));
        Assert.EndsWith("Content-Length: 0\r\n\r\n", r.ToString());
        var again = Assert.IsType<SipRequest>(SipTestMessages.Parse(r.ToString()));
        Assert.Equal(r.CSeq, again.CSeq);
        Assert.True(again.TopVia!.HasRPort);
        Assert.Equal("Alice", again.From!.DisplayName);
        SipTestMessages.AssertRoundTrips(r);
    }

    [Fact]
    public void Typed_views_are_null_or_default_when_missing()
    {
        var r = new SipRequest("OPTIONS", new SipUri("example.com"));
        Assert.Null(r.CallId);
        Assert.Equal(default, r.CSeq);
        Assert.Null(r.From);
        Assert.Null(r.To);
        Assert.Null(r.TopVia);
        Assert.Empty(r.Vias);
        Assert.Null(r.MaxForwards);
        Assert.Null(r.ContentType);
        Assert.Empty(r.Body);
        r.Body = null!;
        Assert.Empty(r.Body);
    }

    [Fact]
    public void Ids_are_random_and_branch_has_magic_cookie()
    {
        var branches = Enumerable.Range(0, 100).Select(_ => SipIds.NewBranch()).ToHashSet();
        Assert.Equal(100, branches.Count);
        Assert.All(branches, b => Assert.StartsWith("z9hG4bK", b));
        Assert.NotEqual(SipIds.NewTag(), SipIds.NewTag());
        Assert.True(SipIds.NewCallId().Length >= 16);
        Assert.True(SipIds.NewTag().Length >= 8);
    }
}
