using Microsoft.AspNetCore.Http;
using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public class OriginCheckTests
{
    private static HttpRequest Request(string? origin = null, string? referer = null, string scheme = "https", string host = "pbx.example.com:8443")
    {
        var context = new DefaultHttpContext();
        context.Request.Scheme = scheme;
        context.Request.Host = new HostString(host);
        if (origin is not null)
        {
            context.Request.Headers.Origin = origin;
        }

        if (referer is not null)
        {
            context.Request.Headers.Referer = referer;
        }

        return context.Request;
    }

    [Theory]
    [InlineData("https://pbx.example.com:8443", null, true)]
    [InlineData("HTTPS://PBX.example.com:8443", null, true)]
    [InlineData("https://pbx.example.com:8443/", null, true)]
    [InlineData(null, "https://pbx.example.com:8443/console/agent?x=1", true)]
    [InlineData("https://evil.example", null, false)]
    [InlineData("http://pbx.example.com:8443", null, false)]   // scheme differs
    [InlineData("https://pbx.example.com", null, false)]       // port differs
    [InlineData("null", null, false)]                          // sandboxed or privacy-sensitive context
    [InlineData(null, "https://evil.example/page", false)]
    [InlineData(null, null, false)]                            // a cookie request that names no origin is refused
    [InlineData("https://crm.example.com", null, true)]        // http.allowedOrigins
    public void Accepts_the_own_origin_and_allowed_ones_only(string? origin, string? referer, bool allowed)
    {
        HttpRequest request = Request(origin, referer);
        Assert.Equal(allowed, OriginCheck.IsAllowed(request, OriginCheck.ClaimedOrigin(request), ["https://crm.example.com"]));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("OPTIONS", true)]
    [InlineData("POST", false)]
    [InlineData("PUT", false)]
    [InlineData("DELETE", false)]
    [InlineData("PATCH", false)]
    public void Only_state_changing_methods_are_checked(string method, bool safe) => Assert.Equal(safe, OriginCheck.IsSafe(method));
}
