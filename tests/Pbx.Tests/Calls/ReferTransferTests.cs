using System.Text;
using Telephony.Pbx.Calls;

namespace Telephony.Pbx.Tests.Calls;

public sealed class ReferTransferTests
{
    [Theory]
    [InlineData("<sip:1002@127.0.0.1>", "1002")]
    [InlineData("sip:support@example.com", "support")]
    [InlineData("\"Support\" <sip:support@127.0.0.1:5060;transport=udp>", "support")]
    [InlineData("<tel:+15551234;phone-context=example.com>", "+15551234")]
    [InlineData("tel:+15551234", "+15551234")]
    public void Target_is_the_user_part_of_the_one_Refer_To(string referTo, string expected)
    {
        Assert.True(ReferTransfer.TryParseTarget([referTo], out var target));
        Assert.Equal(expected, target);
    }

    [Theory]
    [InlineData("<sip:127.0.0.1>")]
    [InlineData("not a uri")]
    [InlineData("*")]
    public void Refer_To_without_a_user_is_refused(string referTo) =>
        Assert.False(ReferTransfer.TryParseTarget([referTo], out _));

    [Fact]
    public void None_or_several_Refer_To_are_refused()
    {
        Assert.False(ReferTransfer.TryParseTarget([], out _));
        Assert.False(ReferTransfer.TryParseTarget(["<sip:1@a>", "<sip:2@a>"], out _));
    }

    [Theory]
    [InlineData(100, "SIP/2.0 100 Trying\r\n", "active;expires=60")]
    [InlineData(200, "SIP/2.0 200 OK\r\n", "terminated;reason=noresource")]
    [InlineData(486, "SIP/2.0 486 Busy Here\r\n", "terminated;reason=noresource")]
    public void Notify_bodies_are_sipfrag_status_lines(int status, string body, string state)
    {
        Assert.Equal(body, Encoding.ASCII.GetString(ReferTransfer.SipFrag(status)));
        Assert.Equal(state, ReferTransfer.SubscriptionState(status));
    }

    [Fact]
    public void Interaction_data_round_trips_through_the_agent_headers()
    {
        var headers = QueueCallCoordinator.InteractionHeaders("abc", "support", 50, ["vip", "key-account"],
            new Dictionary<string, string> { ["account"] = "912345", ["queue"] = "support" });
        var (priority, tags, data) = QueueCallCoordinator.InteractionFrom(headers);
        Assert.Equal(50, priority);
        Assert.Equal(["vip", "key-account"], tags);
        Assert.Equal(new Dictionary<string, string> { ["account"] = "912345", ["queue"] = "support" }, data);
        Assert.Equal(headers.Where(h => h.Key != "X-Telephony-Queue"),
            QueueCallCoordinator.InteractionHeaders("abc", null, priority, tags, data));
    }
}
