using System.Text.Json;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Loading;

/// <summary>config/ivr.schema.json and the loader must accept the same keys, so editors and `ivr validate` agree.</summary>
public sealed class SchemaConsistencyTests
{
    private static readonly JsonElement Defs =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "config", "ivr.schema.json"))).RootElement.GetProperty("$defs");

    private static string[] PropertyNames(string def) =>
        [.. Defs.GetProperty(def).GetProperty("properties").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Every_node_type_has_the_loader_keys()
    {
        var types = Defs.GetProperty("node").GetProperty("properties").GetProperty("type").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(YamlFlowLoader.KeysByType.Keys.Order(StringComparer.Ordinal), types.Order(StringComparer.Ordinal));
        foreach (var (type, keys) in YamlFlowLoader.KeysByType)
        {
            Assert.Equal([.. YamlFlowLoader.CommonKeys.Concat(keys).Order(StringComparer.Ordinal)], PropertyNames(type + "Node"));
        }
    }

    [Fact]
    public void Flow_and_handler_keys_match()
    {
        Assert.Equal([.. YamlFlowLoader.FlowKeys.Order(StringComparer.Ordinal)], PropertyNames("flow"));
        Assert.Equal([.. YamlFlowLoader.HandlerKeys.Order(StringComparer.Ordinal)], PropertyNames("endHandler"));
    }
}
