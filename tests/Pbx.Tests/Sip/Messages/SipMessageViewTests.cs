using System.Net;
using Telephony.Pbx.Sip.Dialogs;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using Telephony.Pbx.Sip.Transport;
using Telephony.Pbx.Tests.Sip.Parsing;

namespace Telephony.Pbx.Tests.Sip.Messages;

/// <summary>The cached, read-only From / To / top Via views of a SipMessage (parsed once per header value).</summary>
public sealed class SipMessageViewTests
{
    private static SipRequest Invite() => Assert.IsType<SipRequest>(SipTestMessages.Parse(SipTestMessages.Invite));

    [Fact]
    public void Two_reads_return_the_same_read_only_instance()
    {
        var invite = Invite();
        Assert.Same(invite.From, invite.From);
        Assert.Same(invite.To, invite.To);
        Assert.Same(invite.TopVia, invite.TopVia);
        Assert.True(invite.From!.IsReadOnly);
        Assert.True(invite.From.Uri.IsReadOnly);
        Assert.True(invite.To!.IsReadOnly);
        Assert.True(invite.TopVia!.IsReadOnly);
        Assert.Equal("1928301774", invite.From.Tag);
        Assert.Equal("Alice \"A\"", invite.From.DisplayName);
        Assert.Equal("z9hG4bK776asdhds", invite.TopVia.Branch);
    }

    [Fact]
    public void A_second_read_allocates_nothing()
    {
        var invite = Invite();
        _ = (invite.From, invite.To, invite.TopVia, invite.CSeq);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = (invite.From, invite.To, invite.TopVia, invite.CSeq);
        }

        Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Known_CSeq_method_is_the_constant()
    {
        Assert.Same(SipMethod.Invite, Invite().CSeq.Method);
        Assert.True(CSeq.TryParse("7 FOO", out var other));
        Assert.Equal("FOO", other.Method);
        Assert.True(CSeq.TryParse("7 invite", out var lower));
        Assert.Equal("invite", lower.Method);
    }

    [Fact]
    public void The_view_follows_a_header_change()
    {
        var invite = Invite();
        var before = invite.To!;
        invite.Headers.Set(HeaderName.To, "<sip:carol@chicago.example.com>;tag=99");
        var after = invite.To!;
        Assert.NotSame(before, after);
        Assert.Equal("carol", after.Uri.User);
        Assert.Equal("99", after.Tag);
        Assert.Same(after, invite.To);
        Assert.Null(before.Tag);   // the old view is untouched

        invite.Headers.Remove(HeaderName.To);
        Assert.Null(invite.To);
        invite.Headers.Add(HeaderName.To, "sip:dave@example.com");
        Assert.Equal("dave", invite.To!.Uri.User);

        invite.Headers.AddFirst(HeaderName.Via, "SIP/2.0/TCP proxy.example.com;branch=z9hG4bKtop");
        Assert.Equal("proxy.example.com", invite.TopVia!.Host);
        Assert.Equal("TCP", invite.TopVia.Transport);
    }

    [Fact]
    public void An_equal_value_set_again_gives_an_equal_view()
    {
        var invite = Invite();
        var text = invite.Headers.Get(HeaderName.From)!;
        var first = invite.From!;
        invite.Headers.Set(HeaderName.From, new string(text.AsSpan()));
        Assert.NotSame(first, invite.From);
        Assert.Equal(first.ToString(), invite.From!.ToString());
    }

    [Fact]
    public void Malformed_header_gives_null_on_every_read()
    {
        var r = new SipRequest(SipMethod.Options, new SipUri("example.com"));
        r.Headers.Add(HeaderName.From, "not an address");
        r.Headers.Add(HeaderName.Via, "SIP/2.0/UDP");
        Assert.Null(r.From);
        Assert.Null(r.From);
        Assert.Null(r.TopVia);
        r.Headers.Set(HeaderName.From, "<sip:alice@example.com>;tag=1");
        Assert.Equal("1", r.From!.Tag);
    }

    [Fact]
    public void Malformed_From_or_To_is_still_the_same_parse_error()
    {
        var badFrom = SipTestMessages.Invite.Replace(
            "From: \"Alice \\\"A\\\"\" <sip:alice@atlanta.example.com>;tag=1928301774", "From: <sip:alice@atlanta", StringComparison.Ordinal);
        var error = SipTestMessages.ParseError(badFrom);
        Assert.Equal(SipParseErrorReason.BadHeaderValue, error.Reason);
        Assert.Equal(HeaderName.From, error.Header);
        Assert.Equal(400, error.StatusCode);

        var wildcardTo = SipTestMessages.Invite.Replace("To: Bob <sip:bob@biloxi.example.com>", "To: *", StringComparison.Ordinal);
        error = SipTestMessages.ParseError(wildcardTo);
        Assert.Equal(SipParseErrorReason.BadHeaderValue, error.Reason);
        Assert.Equal(HeaderName.To, error.Header);

        var noTo = SipTestMessages.Invite.Replace("To: Bob <sip:bob@biloxi.example.com>\r\n", "", StringComparison.Ordinal);
        error = SipTestMessages.ParseError(noTo);
        Assert.Equal(SipParseErrorReason.MissingHeader, error.Reason);
        Assert.Equal(HeaderName.To, error.Header);
    }

    [Fact]
    public void A_view_cannot_be_changed_and_its_clone_can()
    {
        var invite = Invite();
        var to = invite.To!;
        Assert.Throws<InvalidOperationException>(() => to.Tag = "x");
        Assert.Throws<InvalidOperationException>(() => to.DisplayName = "x");
        Assert.Throws<InvalidOperationException>(() => to.Uri = new SipUri("example.com"));
        Assert.Throws<InvalidOperationException>(() => to.Uri.Host = "example.com");
        Assert.Throws<InvalidOperationException>(() => to.Uri.Parameters["lr"] = null);
        Assert.Throws<InvalidOperationException>(() => to.Parameters.Add("q", "1"));
        Assert.Throws<InvalidOperationException>(() => invite.TopVia!.Received = "192.0.2.9");
        Assert.Throws<InvalidOperationException>(() => invite.TopVia!.Port = 5070);

        var copy = to.Clone();
        Assert.False(copy.IsReadOnly);
        Assert.False(copy.Uri.IsReadOnly);
        Assert.Equal(to.ToString(), copy.ToString());
        copy.Tag = "abc";
        copy.Uri.Host = "elsewhere.example.com";
        Assert.Null(invite.To!.Tag);
        Assert.Equal("biloxi.example.com", invite.To.Uri.Host);

        var via = invite.TopVia!.Clone();
        via.Received = "192.0.2.9";
        Assert.Equal(
            "SIP/2.0/UDP pc33.atlanta.example.com:5060;branch=z9hG4bK776asdhds;rport;received=192.0.2.9", via.ToString());
        Assert.Null(invite.TopVia.Received);
        Assert.True(NameAddress.Parse("*").Clone().IsWildcard);
    }

    [Fact]
    public void Top_Via_of_a_comma_list_field_is_still_the_first_entry()
    {
        var ok = Assert.IsType<SipResponse>(SipTestMessages.Parse(SipTestMessages.Ok.Replace(
            "Via: SIP/2.0/UDP server10.biloxi.example.com;branch=z9hG4bKnashds8;received=192.0.2.3\r\n" +
            "Via: SIP/2.0/UDP bigbox3.site3.atlanta.example.com;branch=z9hG4bK77ef4c2312983.1\r\n",
            "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP b.example.com;branch=z9hG4bK2\r\n",
            StringComparison.Ordinal)));
        Assert.Equal("a.example.com", ok.TopVia!.Host);
        Assert.Equal(2, ok.Vias.Count);
    }

    [Fact]
    public void Dialog_parties_are_writable_copies_with_the_text_of_a_reparse()
    {
        var invite = Invite();
        var source = new SipEndPoint(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
        var dialog = Dialog.ForIncoming(invite, "local1", source);
        var expectedLocal = NameAddress.Parse(invite.To!.ToString());
        expectedLocal.Tag = "local1";
        Assert.Equal(expectedLocal.ToString(), dialog.LocalParty.ToString());
        Assert.Equal(NameAddress.Parse(invite.From!.ToString()).ToString(), dialog.RemoteParty.ToString());
        Assert.False(dialog.LocalParty.IsReadOnly);
        Assert.Null(invite.To.Tag);   // tagging the dialog's copy left the message alone

        var request = dialog.CreateRequest(SipMethod.Bye);
        Assert.Equal("\"Bob\" <sip:bob@biloxi.example.com>;tag=local1", request.Headers.Get(HeaderName.From));
        Assert.Equal("\"Alice \\\"A\\\"\" <sip:alice@atlanta.example.com>;tag=1928301774", request.Headers.Get(HeaderName.To));
    }

    [Theory]
    [InlineData("SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK1", "127.0.0.2", 5060, "SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK1")]
    [InlineData("SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK1;rport", "127.0.0.2", 5070,
        "SIP/2.0/UDP 127.0.0.2:5060;branch=z9hG4bK1;rport=5070;received=127.0.0.2")]
    [InlineData("SIP/2.0/UDP host.example.com;branch=z9hG4bK1", "192.0.2.1", 5060,
        "SIP/2.0/UDP host.example.com;branch=z9hG4bK1;received=192.0.2.1")]
    [InlineData("SIP/2.0/UDP host.example.com;rport;branch=z9hG4bK1", "192.0.2.1", 5099,
        "SIP/2.0/UDP host.example.com;rport=5099;branch=z9hG4bK1;received=192.0.2.1")]
    public void Via_fixup_writes_a_changed_copy_and_leaves_an_unchanged_view(string via, string address, int port, string expected)
    {
        var request = new SipRequest(SipMethod.Options, new SipUri("example.com"));
        request.Headers.Add(HeaderName.Via, via);
        request.Headers.Add(HeaderName.Via, "SIP/2.0/UDP second.example.com;branch=z9hG4bK2");
        var view = request.TopVia!;
        ViaFixup.Apply(request, new IPEndPoint(IPAddress.Parse(address), port));
        Assert.Equal(expected, request.Headers.GetAll(HeaderName.Via)[0]);
        Assert.Equal("SIP/2.0/UDP second.example.com;branch=z9hG4bK2", request.Headers.GetAll(HeaderName.Via)[1]);
        Assert.Equal(expected == via, ReferenceEquals(view, request.TopVia));
        Assert.Equal(via, view.ToString());
    }

    [Fact]
    public void A_response_shares_the_request_views_and_gets_a_tagged_To_view()
    {
        var invite = Invite();
        var response = SipResponse.CreateFor(invite, 200, toTag: "abc123");
        Assert.Same(invite.From, response.From);
        Assert.Same(invite.TopVia, response.TopVia);
        Assert.Equal("Bob <sip:bob@biloxi.example.com>;tag=abc123", response.Headers.Get(HeaderName.To));
        var to = response.To!;
        Assert.True(to.IsReadOnly);
        Assert.Equal("abc123", to.Tag);
        Assert.Equal(NameAddress.Parse(response.Headers.Get(HeaderName.To)!).ToString(), to.ToString());
        Assert.Null(invite.To!.Tag);

        var untagged = SipResponse.CreateFor(invite, 100);
        Assert.Same(invite.To, untagged.To);
    }
}
