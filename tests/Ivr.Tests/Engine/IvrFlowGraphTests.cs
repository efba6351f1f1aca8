using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Engine;

/// <summary>Snapshots the Mermaid export of every sample flow (tests/Vectors/ivr/golden/*.mmd; IVR_UPDATE_GOLDEN=1 rewrites).</summary>
public sealed class IvrFlowGraphTests
{
    [Fact]
    public void Sample_flow_mermaid_matches_snapshot()
    {
        var flows = YamlFlowLoader.LoadFile(RepoPaths.SampleConfig).Flows!;
        foreach (var flow in flows.Flows)
        {
            var mermaid = IvrFlowGraph.ToMermaid(flow).ReplaceLineEndings("\n");
            var name = flow.Name + ".mmd";
            if (Environment.GetEnvironmentVariable("IVR_UPDATE_GOLDEN") == "1")
            {
                File.WriteAllText(Path.Combine(RepoPaths.SourceVectors, "golden", name), mermaid);
                continue;
            }
            Assert.Equal(File.ReadAllText(Path.Combine(RepoPaths.Vectors, "golden", name)), mermaid);
        }
    }

    [Fact]
    public void Mermaid_has_every_node_and_labelled_outcome_edges()
    {
        var flow = YamlFlowLoader.LoadFile(RepoPaths.SampleConfig).Flows!.Flows[0];
        var mermaid = IvrFlowGraph.ToMermaid(flow);
        Assert.StartsWith("stateDiagram-v2", mermaid);
        foreach (var id in flow.Nodes.Keys)
        {
            Assert.Contains(id, mermaid);
        }
        Assert.Contains("digit:2", mermaid);
        Assert.Contains("overflow", mermaid);
        Assert.Contains("digraph", IvrFlowGraph.ToDot(flow));
    }
}
