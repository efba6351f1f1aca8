using System.Net;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Security;

namespace Telephony.Pbx.Tests.Sip.Security;

/// <summary>The sip.* security keys: defaults, parsing, and every validation error naming its key.</summary>
public sealed class SipSecuritySettingsTests
{
    [Fact]
    public void Defaults_are_5_failures_in_60_s_ban_60_s_doubling_to_1_h_dropped_nobody_trusted()
    {
        var s = SipSecuritySettings.From(new SipOptions());
        Assert.Equal(5, s.FailureLimit);
        Assert.Equal(TimeSpan.FromSeconds(60), s.FailureWindow);
        Assert.Equal(TimeSpan.FromSeconds(60), s.BanDuration);
        Assert.Equal(TimeSpan.FromHours(1), s.MaxBanDuration);
        Assert.Equal(SipBanAction.Drop, s.Action);
        Assert.Empty(s.TrustedNetworks);
    }

    [Fact]
    public void Trusted_networks_take_cidr_and_single_addresses_and_trunks_are_added()
    {
        var o = new SipOptions { TrustedNetworks = ["10.1.0.0/16", " 192.0.2.7 ", "2001:db8::/32"], BanAction = "403" };
        var s = SipSecuritySettings.From(o, [IPAddress.Parse("127.0.0.2")]);
        Assert.Equal(SipBanAction.Forbidden, s.Action);
        Assert.True(s.IsTrusted(IPAddress.Parse("10.1.200.3")));
        Assert.True(s.IsTrusted(IPAddress.Parse("10.1.200.3").MapToIPv6()));
        Assert.False(s.IsTrusted(IPAddress.Parse("10.2.0.1")));
        Assert.True(s.IsTrusted(IPAddress.Parse("192.0.2.7")));
        Assert.False(s.IsTrusted(IPAddress.Parse("192.0.2.8")));
        Assert.True(s.IsTrusted(IPAddress.Parse("2001:db8:1::5")));
        Assert.True(s.IsTrusted(IPAddress.Parse("127.0.0.2")));
        Assert.False(s.IsTrusted(IPAddress.Parse("127.0.0.3")));
    }

    [Theory]
    [InlineData("drop", SipBanAction.Drop)]
    [InlineData("DROP", SipBanAction.Drop)]
    [InlineData("403", SipBanAction.Forbidden)]
    [InlineData("forbidden", SipBanAction.Forbidden)]
    public void Ban_action_values(string value, SipBanAction expected) =>
        Assert.Equal(expected, SipSecuritySettings.From(new SipOptions { BanAction = value }).Action);

    [Theory]
    [InlineData("authFailureLimit", "sip.authFailureLimit -1")]
    [InlineData("authFailureWindowSeconds", "sip.authFailureWindowSeconds 0")]
    [InlineData("banSeconds", "sip.banSeconds 0")]
    [InlineData("banMaxSeconds", "sip.banMaxSeconds 30 must be at least sip.banSeconds (60)")]
    [InlineData("banAction", "sip.banAction 'reject'")]
    [InlineData("trustedNetworks", "sip.trustedNetworks[1] '10.0.0.1/8'")]
    public void Invalid_values_are_named(string key, string expected)
    {
        var o = new SipOptions();
        switch (key)
        {
            case "authFailureLimit": o.AuthFailureLimit = -1; break;
            case "authFailureWindowSeconds": o.AuthFailureWindowSeconds = 0; break;
            case "banSeconds": o.BanSeconds = 0; o.BanMaxSeconds = 0; break;
            case "banMaxSeconds": o.BanMaxSeconds = 30; break;
            case "banAction": o.BanAction = "reject"; break;
            default: o.TrustedNetworks = ["10.0.0.0/8", "10.0.0.1/8"]; break;
        }
        var problem = Assert.Single(SipSecuritySettings.Validate(o));
        Assert.StartsWith(expected, problem, StringComparison.Ordinal);
        var ex = Assert.Throws<InvalidOperationException>(() => SipSecuritySettings.From(o));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-address")]
    [InlineData("10.0.0.0/33")]
    public void Garbage_networks_are_refused(string value) =>
        Assert.Single(SipSecuritySettings.Validate(new SipOptions { TrustedNetworks = [value] }));
}
