using System.Net;
using Microsoft.Extensions.Configuration;
using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public class SecuritySettingsTests
{
    private static SecuritySettings Load(params (string Key, string Value)[] pairs) => SecuritySettings.Load(
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build(),
        "/srv/telephony");

    [Fact]
    public void Defaults_are_the_documented_ones()
    {
        SecuritySettings s = Load();
        Assert.Equal((8443, PlainHttpMode.On, (string?)null, (string?)null), (s.HttpsPort, s.Plain, s.CertificateFile, s.KeyFile));
        Assert.Equal(TimeSpan.FromHours(12), s.SessionLifetime);
        Assert.Equal(new LoginThrottleOptions(), s.Throttle);
        Assert.Empty(s.AllowedOrigins);
        Assert.Empty(s.TrustedProxies);
    }

    [Fact]
    public void Reads_every_key()
    {
        SecuritySettings s = Load(("http:httpsPort", "9443"), ("http:plain", "redirect"), ("tls:certificateFile", "tls/cert.pem"),
            ("tls:keyFile", "/etc/key.pem"), ("http:allowedOrigins:0", "https://crm.example.com/"), ("http:trustedProxies:0", "10.0.0.1"),
            ("auth:sessionMinutes", "60"), ("auth:maxFailures", "3"), ("auth:failureWindowMinutes", "5"), ("auth:lockoutSeconds", "10"),
            ("auth:maxLockoutSeconds", "100"));
        Assert.Equal((9443, PlainHttpMode.Redirect, "/srv/telephony/tls/cert.pem", "/etc/key.pem"), (s.HttpsPort, s.Plain, s.CertificateFile, s.KeyFile));
        Assert.Equal(["https://crm.example.com"], s.AllowedOrigins);
        Assert.Equal([IPAddress.Parse("10.0.0.1")], s.TrustedProxies);
        Assert.Equal(TimeSpan.FromHours(1), s.SessionLifetime);
        Assert.Equal(new LoginThrottleOptions
        {
            MaxFailures = 3, Window = TimeSpan.FromMinutes(5), FirstLockout = TimeSpan.FromSeconds(10), MaxLockout = TimeSpan.FromSeconds(100),
        }, s.Throttle);
        Assert.Equal(PlainHttpMode.Off, Load(("http:plain", "off")).Plain);
    }

    [Theory]
    [InlineData("http:plain", "sometimes", "http.plain 'sometimes' must be on, off or redirect")]
    [InlineData("http:httpsPort", "70000", "http.httpsPort '70000' must be a whole number from 0 to 65535")]
    [InlineData("http:trustedProxies:0", "proxy.local", "http.trustedProxies 'proxy.local' is not an IP address")]
    [InlineData("auth:maxFailures", "0", "auth.maxFailures '0' must be a whole number from 1 to 1000")]
    public void A_bad_value_names_its_key(string key, string value, string message) =>
        Assert.Equal(message, Assert.Throws<FormatException>(() => Load((key, value))).Message);

    [Fact]
    public void Turning_plain_HTTP_off_needs_HTTPS() =>
        Assert.Contains("needs HTTPS", Assert.Throws<FormatException>(() => Load(("http:httpsPort", "0"), ("http:plain", "off"))).Message, StringComparison.Ordinal);
}
