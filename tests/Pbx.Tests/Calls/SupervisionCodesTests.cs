using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Tests.Calls;

public sealed class SupervisionCodesTests
{
    [Theory]
    [InlineData("*811001", SupervisorMode.Listen, "1001")]
    [InlineData("*821002", SupervisorMode.Whisper, "1002")]
    [InlineData("*8342", SupervisorMode.Barge, "42")]
    public void TryParse_CodeAndExtension(string dialed, SupervisorMode mode, string agent)
    {
        Assert.True(SupervisionCodes.TryParse(dialed, out var m, out var a));
        Assert.Equal(mode, m);
        Assert.Equal(agent, a);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("*81")]
    [InlineData("*841001")]
    [InlineData("*81100x")]
    [InlineData("1001")]
    [InlineData("*45")]
    public void TryParse_RejectsOthers(string? dialed) => Assert.False(SupervisionCodes.TryParse(dialed, out _, out _));

    [Theory]
    [InlineData('1', SupervisorMode.Listen)]
    [InlineData('2', SupervisorMode.Whisper)]
    [InlineData('3', SupervisorMode.Barge)]
    [InlineData('4', SupervisorMode.TakeOver)]
    public void ModeOfDigit_Maps(char digit, SupervisorMode mode) => Assert.Equal(mode, SupervisionCodes.ModeOfDigit(digit));

    [Theory]
    [InlineData('0')]
    [InlineData('5')]
    [InlineData('#')]
    public void ModeOfDigit_OthersAreNull(char digit) => Assert.Null(SupervisionCodes.ModeOfDigit(digit));

    [Fact]
    public void Router_SendsCodesFromExtensionsToSupervise_NotFromTrunks()
    {
        var options = new PbxOptions { Extensions = [new ExtensionOptions { Number = "1001", Password = "x" }] };
        var router = new CallRouter(new PbxDirectory(options), new ClaimedNumbers(_ => true));
        var route = router.Route("*811001", null, "2001");
        Assert.Equal(RouteKind.Supervise, route.Kind);
        Assert.Equal("1001", route.Target);
        var trunk = new TrunkOptions { Name = "t", AllowFrom = ["127.0.0.2"] };
        Assert.Equal(RouteKind.NotFound, router.Route("*811001", trunk, "+1555").Kind);
    }

    [Theory]
    [InlineData(SupervisorMode.Listen, "*81")]
    [InlineData(SupervisorMode.Whisper, "*82")]
    [InlineData(SupervisorMode.Barge, "*83")]
    [InlineData(SupervisorMode.TakeOver, "*83")]
    public void CodeOf_RoundTripsThroughTryParse(SupervisorMode mode, string code)
    {
        Assert.Equal(code, SupervisionCodes.CodeOf(mode));
        Assert.True(SupervisionCodes.TryParse(code + "1001", out var parsed, out _));
        Assert.Equal(mode == SupervisorMode.TakeOver ? SupervisorMode.Barge : mode, parsed);
    }

    [Fact]
    public void OriginatedIdentity_ShowsWhatIsSupervised()
    {
        var identity = SupervisorCall.Identity(SupervisorMode.Listen, "1001");
        Assert.Equal("Supervise 1001", identity.DisplayName);
        Assert.Equal("*811001", identity.Uri.User);
        var reparsed = Telephony.Pbx.Sip.Messages.NameAddress.Parse(identity.ToString());
        Assert.Equal("*811001", reparsed.Uri.User);
        Assert.Equal("Supervise 1001", reparsed.DisplayName);
        Assert.StartsWith("\"Supervise 1001\" <sip:*811001@", identity.ToString(), StringComparison.Ordinal);
    }
}
