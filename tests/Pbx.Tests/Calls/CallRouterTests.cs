using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Calls;

public sealed class CallRouterTests
{
    private static CallRouter Router(Func<string, bool>? claims)
    {
        var options = new PbxOptions
        {
            Extensions = [new ExtensionOptions { Number = "1001", Password = "x" }],
            Trunks = [new TrunkOptions { Name = "t", AllowFrom = ["127.0.0.2"], Dids = new() { ["08001234567"] = "1001" } }],
        };
        return new CallRouter(new PbxDirectory(options), new ClaimedNumbers(claims));
    }

    [Fact]
    public void TrunkDid_ClaimedByApplication_GoesToApplication()
    {
        var router = Router(n => n == "08001234567");
        var trunk = new TrunkOptions { Name = "t", AllowFrom = ["127.0.0.2"], Dids = new() { ["08001234567"] = "1001" } };
        Assert.Equal(RouteKind.Application, router.Route("08001234567", trunk, "+1555").Kind);
    }

    [Fact]
    public void TrunkDid_NotClaimed_RingsTheExtension()
    {
        var router = Router(_ => false);
        var trunk = new TrunkOptions { Name = "t", AllowFrom = ["127.0.0.2"], Dids = new() { ["08001234567"] = "1001" } };
        var route = router.Route("08001234567", trunk, "+1555");
        Assert.Equal(RouteKind.Extension, route.Kind);
        Assert.Equal("1001", route.Target);
    }

    [Fact]
    public void Trunk_CannotReachClaimedNumberOutsideItsDids()
    {
        var router = Router(n => n == "*45");
        var trunk = new TrunkOptions { Name = "t", AllowFrom = ["127.0.0.2"], Dids = new() { ["08001234567"] = "1001" } };
        Assert.Equal(RouteKind.NotFound, router.Route("*45", trunk, "+1555").Kind);
    }

    [Fact]
    public void Extension_ReachesClaimedNumbers()
    {
        var router = Router(n => n == "*45");
        Assert.Equal(RouteKind.Application, router.Route("*45", null, "1001").Kind);
        Assert.Equal(RouteKind.Extension, router.Route("1001", null, "1002").Kind);
    }
}
