using Telephony.Pbx.Sdp;
using static Telephony.Pbx.Tests.Sdp.SdpTestData;

namespace Telephony.Pbx.Tests.Sdp;

public class SdpMediaTests
{
    private const string Head = "v=0\r\no=- 1 1 IN IP4 1.2.3.4\r\ns=-\r\nc=IN IP4 1.2.3.4\r\nt=0 0\r\n";

    [Fact]
    public void Static_payload_types_resolve_without_rtpmap()
    {
        SdpMedia m = Parse(Head + "m=audio 4000 RTP/AVP 0 8\r\n").Media[0];
        Assert.True(m.TryGetRtpMap(0, out SdpRtpMap pcmu));
        Assert.Equal(new SdpRtpMap(0, "PCMU", 8000, 1), pcmu);
        Assert.True(m.TryGetRtpMap(8, out SdpRtpMap pcma));
        Assert.Equal("PCMA", pcma.EncodingName);
        Assert.False(m.TryGetRtpMap(96, out _));
    }

    [Fact]
    public void Rtpmap_lookup_reads_dynamic_types_and_channels()
    {
        SdpMedia m = Parse(Head + "m=audio 4000 RTP/AVP 96 97\r\na=rtpmap:96 opus/48000/2\r\na=rtpmap:97 telephone-event/8000\r\n").Media[0];
        Assert.True(m.TryGetRtpMap(96, out SdpRtpMap opus));
        Assert.Equal(new SdpRtpMap(96, "opus", 48000, 2), opus);
        Assert.Equal("96 opus/48000/2", opus.ToString());
        Assert.True(m.TryGetRtpMap(97, out SdpRtpMap te));
        Assert.Equal("telephone-event", te.EncodingName);
    }

    [Fact]
    public void Fmtp_and_ptime_lookup()
    {
        SdpMedia m = Parse(Head + "m=audio 4000 RTP/AVP 0 101\r\na=fmtp:101 0-16\r\na=fmtp:10 x\r\na=ptime:30\r\n").Media[0];
        Assert.Equal("0-16", m.GetFmtp(101));
        Assert.Null(m.GetFmtp(0));
        Assert.Null(m.GetFmtp(1));
        Assert.Equal(30, m.PacketTimeMs);
    }

    [Fact]
    public void Fractional_ptime_is_truncated_and_garbage_ptime_is_null()
    {
        Assert.Equal(20, Parse(Head + "m=audio 4000 RTP/AVP 0\r\na=ptime:20.0\r\n").Media[0].PacketTimeMs);
        Assert.Null(Parse(Head + "m=audio 4000 RTP/AVP 0\r\na=ptime:soon\r\n").Media[0].PacketTimeMs);
        Assert.Null(Parse(Head + "m=audio 4000 RTP/AVP 0\r\n").Media[0].PacketTimeMs);
    }

    [Theory]
    [InlineData("", "", SdpDirection.SendRecv)]
    [InlineData("a=sendonly\r\n", "", SdpDirection.SendOnly)]
    [InlineData("a=inactive\r\n", "", SdpDirection.Inactive)]
    [InlineData("a=sendonly\r\n", "a=recvonly\r\n", SdpDirection.RecvOnly)]
    [InlineData("", "a=inactive\r\n", SdpDirection.Inactive)]
    [InlineData("a=recvonly\r\n", "a=sendrecv\r\n", SdpDirection.SendRecv)]
    public void Media_direction_overrides_session_direction(string session, string media, SdpDirection expected)
    {
        SdpDescription d = Parse(Head + session + "m=audio 4000 RTP/AVP 0\r\n" + media);
        Assert.Equal(expected, d.Media[0].GetDirection(d));
    }

    [Fact]
    public void Set_direction_replaces_existing_attribute()
    {
        SdpDescription d = Parse(Head + "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n");
        d.Media[0].SetDirection(SdpDirection.Inactive);
        Assert.Equal(SdpDirection.Inactive, d.Media[0].Direction);
        Assert.Single(d.Media[0].Attributes);
    }

    [Theory]
    [InlineData(SdpDirection.SendRecv, SdpDirection.SendRecv)]
    [InlineData(SdpDirection.SendOnly, SdpDirection.RecvOnly)]
    [InlineData(SdpDirection.RecvOnly, SdpDirection.SendOnly)]
    [InlineData(SdpDirection.Inactive, SdpDirection.Inactive)]
    public void Mirror_follows_rfc3264_6_1(SdpDirection offered, SdpDirection answered) =>
        Assert.Equal(answered, offered.Mirror());

    [Fact]
    public void Connection_address_helpers()
    {
        Assert.True(new SdpConnection("IN", "IP4", "224.2.1.1/127").TryGetIPAddress(out var a));
        Assert.Equal("224.2.1.1", a!.ToString());
        Assert.False(new SdpConnection("IN", "IP4", "host.example.com").TryGetIPAddress(out _));
        Assert.True(new SdpConnection("IN", "IP4", "0.0.0.0").IsHoldAddress);
    }
}
