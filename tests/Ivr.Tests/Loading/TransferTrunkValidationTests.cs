using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Tests.Loading;

/// <summary>
/// A transfer node's <c>trunk:</c> must name an outbound trunk of telephony.yaml when the loader is told which exist
/// (the server does; the offline <c>ivr validate</c> does not know them and skips the check).
/// </summary>
public sealed class TransferTrunkValidationTests
{
    private const string Yaml = """
        flows:
          line:
            numbers: ["100"]
            start: out
            on_error: bye
            nodes:
              out:
                type: transfer
                to: "+4930123456"
                trunk: carier
                failed: bye
              bye:
                type: hangup
        """;

    [Fact]
    public void Unknown_trunk_is_refused_at_the_trunk_value_with_a_suggestion()
    {
        var result = YamlFlowLoader.LoadText(Yaml, "ivr.yaml", outboundTrunks: ["carrier", "local-trunk"]);

        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.Equal((10, 16), (error.Line, error.Column));
        Assert.Equal("transfer node 'out' names trunk 'carier', which is not an outbound trunk in telephony.yaml " +
                     "(outbound trunks: carrier, local-trunk) (did you mean 'carrier'?)", error.Message);
    }

    [Fact]
    public void No_outbound_trunk_at_all_says_so()
    {
        var result = YamlFlowLoader.LoadText(Yaml, "ivr.yaml", outboundTrunks: []);
        Assert.Contains("(none is configured)", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Known_trunk_loads_and_keeps_its_location()
    {
        var result = YamlFlowLoader.LoadText(Yaml.Replace("carier", "carrier", StringComparison.Ordinal), "ivr.yaml",
            outboundTrunks: ["carrier"]);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        var transfer = Assert.IsType<TransferNode>(result.Flows!.Flows[0].Nodes["out"]);
        Assert.Equal("carrier", transfer.Trunk);
        Assert.Equal(10, transfer.TrunkLocation!.Value.Line);
    }

    [Fact]
    public void Without_known_trunks_the_name_is_not_checked() =>
        Assert.True(YamlFlowLoader.LoadText(Yaml, "ivr.yaml").Succeeded);

    [Fact]
    public void Extension_transfer_needs_no_trunk() =>
        Assert.True(YamlFlowLoader.LoadText(Yaml.Replace("        trunk: carier\n", "", StringComparison.Ordinal)
            .Replace("\"+4930123456\"", "\"1002\"", StringComparison.Ordinal), "ivr.yaml", outboundTrunks: []).Succeeded);

    [Fact]
    public void Repository_refuses_a_tree_naming_an_unknown_trunk()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ivr-trunk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var path = Path.Combine(dir, "ivr.yaml");
            File.WriteAllText(path, Yaml);
            using var repository = new IvrFlowRepository(path, outboundTrunks: ["local-trunk"]);
            var result = repository.Reload();
            Assert.False(result.Succeeded);
            Assert.Null(repository.Current);
            Assert.Contains("names trunk 'carier'", Assert.Single(result.Errors).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
