using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip;

namespace Telephony.Pbx.Tests.Calls.Configuration;

public class PbxOptionsTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5000)]
    public void MaxCalls_zero_or_more_is_valid(int maxCalls) =>
        Assert.Empty(new PbxOptions { Sip = new SipOptions { MaxCalls = maxCalls } }.Validate());

    [Fact]
    public void Negative_max_calls_is_refused_naming_the_key() =>
        Assert.Equal("sip.maxCalls -1 must be 0 (no limit) or more",
            Assert.Single(new PbxOptions { Sip = new SipOptions { MaxCalls = -1 } }.Validate()));

    [Fact]
    public void No_limit_by_default() => Assert.Equal(0, new SipOptions().MaxCalls);

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Opus_complexity_outside_0_to_10_is_refused_naming_the_key(int complexity) =>
        Assert.Equal($"rtp.opusComplexity {complexity} must be 0 to 10",
            Assert.Single(new PbxOptions { Rtp = new RtpOptions { OpusComplexity = complexity } }.Validate()));

    [Fact]
    public void Opus_complexity_defaults_to_1() => Assert.Equal(1, new RtpOptions().OpusComplexity);
}
