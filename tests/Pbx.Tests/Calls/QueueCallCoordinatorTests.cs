using Telephony.Pbx.Calls;

namespace Telephony.Pbx.Tests.Calls;

public sealed class QueueCallCoordinatorTests
{
    [Fact]
    public void InteractionHeaders_CarryIdPriorityQueueTagsAndVariables()
    {
        var headers = QueueCallCoordinator.InteractionHeaders("abc", "support", 50, ["vip", "key-account"],
            new Dictionary<string, string> { ["account"] = "912345", ["bad name!"] = "x\r\ny" });
        Assert.Equal(
        [
            new("X-Telephony-Interaction", "abc"),
            new("X-Telephony-Priority", "50"),
            new("X-Telephony-Queue", "support"),
            new("X-Telephony-Tags", "vip,key-account"),
            new("X-Telephony-Var-account", "912345"),
            new("X-Telephony-Var-badname", "x  y"),
        ], headers);
    }

    [Theory]
    [InlineData("*45", true)]
    [InlineData("*48", true)]
    [InlineData("*49", false)]
    [InlineData("1001", false)]
    public void FeatureCodes(string dialed, bool expected) => Assert.Equal(expected, QueueCallCoordinator.IsFeatureCode(dialed));
}
