using Stateless;
using Stateless.Graph;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

/// <summary>
/// Exports a flow as the diagram of the Stateless machine its calls run (Mermaid or DOT), for README and reviews.
/// </summary>
public static class IvrFlowGraph
{
    public static string ToMermaid(IvrFlow flow) => MermaidGraph.Format(Build(flow).GetInfo());

    public static string ToDot(IvrFlow flow) => UmlDotGraph.Format(Build(flow).GetInfo());

    private static StateMachine<string, IvrTrigger> Build(IvrFlow flow)
    {
        var machine = new StateMachine<string, IvrTrigger>(IvrCall.StartState, FiringMode.Queued);
        IvrCall.Configure(machine, flow, call: null);
        return machine;
    }
}
