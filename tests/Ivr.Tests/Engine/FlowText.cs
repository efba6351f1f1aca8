using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Tests.Engine;

/// <summary>Loads a flow from inline YAML for engine tests (no prompt file checks).</summary>
internal static class FlowText
{
    public static IvrFlow Load(string yaml)
    {
        var result = YamlFlowLoader.LoadText(yaml, "test.yaml");
        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        return result.Flows!.Flows[0];
    }
}
