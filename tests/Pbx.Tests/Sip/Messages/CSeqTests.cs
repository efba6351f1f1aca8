using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Messages;

public sealed class CSeqTests
{
    [Theory]
    [InlineData("1 INVITE", 1u, "INVITE")]
    [InlineData("  0009 \r\n  INVITE ", 9u, "INVITE")]
    [InlineData("2147483647 FOO", 2147483647u, "FOO")]
    [InlineData("0 ACK", 0u, "ACK")]
    public void Valid_values_parse(string text, uint number, string method)
    {
        Assert.True(CSeq.TryParse(text, out var c));
        Assert.Equal(new CSeq(number, method), c);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("INVITE")]
    [InlineData("1")]
    [InlineData("1INVITE")]
    [InlineData("-1 INVITE")]
    [InlineData("2147483648 INVITE")]
    [InlineData("36893488147419103232 REGISTER")]
    [InlineData("1 INVITE BYE")]
    [InlineData("1 INV<ITE")]
    public void Invalid_values_fail(string? text)
    {
        Assert.False(CSeq.TryParse(text, out _));
    }

    [Fact]
    public void ToString_is_number_space_method()
    {
        Assert.Equal("314159 INVITE", new CSeq(314159, SipMethod.Invite).ToString());
    }
}
