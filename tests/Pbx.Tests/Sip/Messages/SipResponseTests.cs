using System.Text;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Tests.Sip.Parsing;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class SipResponseTests
{
    private static SipRequest Invite() => Assert.IsType<SipRequest>(SipTestMessages.Parse(
        SipTestMessages.Invite.Replace("Via: SIP/2.0/UDP pc33", "Via: SIP/2.0/TCP proxy.example.com;branch=z9hG4bKp1\r\nVia: SIP/2.0/UDP pc33", StringComparison.Ordinal)));

    [Fact]
    public void CreateFor_copies_vias_from_to_callid_cseq_and_adds_to_tag()
    {
        var request = Invite();
        var response = SipResponse.CreateFor(request, 486, toTag: "xyz");
        Assert.Equal(486, response.StatusCode);
        Assert.Equal("Busy Here", response.ReasonPhrase);
        Assert.Equal(request.Headers.GetAll(HeaderName.Via), response.Headers.GetAll(HeaderName.Via));
        Assert.Equal(request.Headers.Get(HeaderName.From), response.Headers.Get(HeaderName.From));
        Assert.Equal("Bob <sip:bob@biloxi.example.com>;tag=xyz", response.Headers.Get(HeaderName.To));
        Assert.Equal("xyz", response.To!.Tag);
        Assert.Equal(request.CallId, response.CallId);
        Assert.Equal(request.CSeq, response.CSeq);
        Assert.False(response.Headers.Contains(HeaderName.RecordRoute));
        Assert.False(response.Headers.Contains(HeaderName.Contact));
        Assert.Empty(response.Body);
    }

    [Fact]
    public void CreateFor_keeps_existing_to_tag()
    {
        var request = Invite();
        request.Headers.Set(HeaderName.To, "<sip:bob@biloxi.example.com>;tag=old");
        Assert.Equal("old", SipResponse.CreateFor(request, 200, toTag: "new").To!.Tag);
    }

    [Theory]
    [InlineData(100, false)]
    [InlineData(180, true)]
    [InlineData(200, true)]
    [InlineData(302, false)]
    [InlineData(486, false)]
    public void CreateFor_copies_record_route_for_1xx_2xx_to_invite(int status, bool copied)
    {
        var response = SipResponse.CreateFor(Invite(), status);
        Assert.Equal(copied, response.Headers.Contains(HeaderName.RecordRoute));
    }

    [Fact]
    public void CreateFor_non_invite_does_not_copy_record_route()
    {
        var request = Invite();
        var bye = new SipRequest(SipMethod.Bye, request.RequestUri);
        foreach (var (name, value) in request.Headers)
        {
            bye.Headers.Add(name, value);
        }

        Assert.False(SipResponse.CreateFor(bye, 200).Headers.Contains(HeaderName.RecordRoute));
    }

    [Fact]
    public void Custom_reason_phrase_is_used()
    {
        Assert.Equal("Bad Request - Missing Call-ID", new SipResponse(400, "Bad Request - Missing Call-ID").ReasonPhrase);
    }

    [Theory]
    [InlineData(100, "Trying")]
    [InlineData(183, "Session Progress")]
    [InlineData(200, "OK")]
    [InlineData(401, "Unauthorized")]
    [InlineData(416, "Unsupported URI Scheme")]
    [InlineData(481, "Call/Transaction Does Not Exist")]
    [InlineData(505, "Version Not Supported")]
    [InlineData(603, "Decline")]
    [InlineData(199, "Early Dialog Terminated")]
    [InlineData(289, "Success")]
    [InlineData(499, "Client Error")]
    [InlineData(699, "Global Failure")]
    public void DefaultReason_table(int code, string reason)
    {
        Assert.Equal(reason, SipResponse.DefaultReason(code));
    }

    [Theory]
    [InlineData(99)]
    [InlineData(700)]
    public void Status_outside_100_699_throws(int code)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SipResponse(code));
    }

    [Fact]
    public void ToBytes_writes_content_length_from_body()
    {
        var r = new SipResponse(200);
        r.Headers.Add(HeaderName.Via, "SIP/2.0/UDP a.example.com;branch=z9hG4bK1");
        r.Headers.Add(HeaderName.ContentLength, "999");
        r.Headers.Add(HeaderName.CallId, "c");
        r.Body = Encoding.UTF8.GetBytes("hello");
        Assert.Equal(
            "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nContent-Length: 5\r\nCall-ID: c\r\n\r\nhello",
            Encoding.UTF8.GetString(r.ToBytes()));
        Assert.Equal(Encoding.UTF8.GetString(r.ToBytes()), r.ToString());
    }
}
