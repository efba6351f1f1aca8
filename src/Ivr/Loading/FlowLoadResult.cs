using Telephony.Ivr.Model;

namespace Telephony.Ivr.Loading;

/// <summary>The outcome of loading a flow file: the flows when it is valid, otherwise every error found.</summary>
public sealed record FlowLoadResult(IvrFlowSet? Flows, IReadOnlyList<FlowError> Errors)
{
    public bool Succeeded => Flows is not null && Errors.Count == 0;
}
