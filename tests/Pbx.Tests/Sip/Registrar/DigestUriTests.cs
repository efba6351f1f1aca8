using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Sip.Registrar;

/// <summary>digest-uri versus Request-URI (RFC 3261 §22.4) with SIP URI equality (RFC 3261 §19.1.4).</summary>
public sealed class DigestUriTests
{
    [Theory]
    [InlineData("sip:1001@pbx.example:5060;transport=udp", "sip:1001@pbx.example:5060;transport=udp")]
    [InlineData("sip:1001@PBX.Example:5060;Transport=UDP", "sip:1001@pbx.example:5060;transport=udp")]
    [InlineData("sip:1001@pbx.example;transport=udp;lr", "sip:1001@pbx.example;lr;transport=udp")]
    [InlineData("sip:1001@pbx.example;foo=1", "sip:1001@pbx.example")] // other parameters only compared when on both sides
    [InlineData("sip:%31001@pbx.example", "sip:1001@pbx.example")] // escaped user part
    [InlineData("sip:[2001:db8::1]:5060", "sip:[2001:DB8::1]:5060")]
    public void Same_resource_matches(string digestUri, string requestUri) =>
        Assert.True(DigestUri.Matches(digestUri, SipUri.Parse(requestUri)));

    [Theory]
    [InlineData("sip:1001@pbx.example", "sip:1002@pbx.example")]
    [InlineData("sip:ALICE@pbx.example", "sip:alice@pbx.example")] // user part is case-sensitive
    [InlineData("sip:pbx.example", "sip:pbx.example:5060")] // an explicit default port is not the same URI
    [InlineData("sip:pbx.example;transport=tcp", "sip:pbx.example")]
    [InlineData("sip:pbx.example;foo=1", "sip:pbx.example;foo=2")]
    [InlineData("sips:pbx.example", "sip:pbx.example")]
    [InlineData("sip:pbx.example?subject=x", "sip:pbx.example")]
    [InlineData("", "sip:pbx.example")]
    [InlineData("tel:+15550001", "sip:pbx.example")]
    public void Other_resource_does_not_match(string digestUri, string requestUri) =>
        Assert.False(DigestUri.Matches(digestUri, SipUri.Parse(requestUri)));
}
