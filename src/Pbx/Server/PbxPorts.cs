using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Server;

/// <summary>
/// What a host plugs into the <see cref="PbxServer"/>, all through constructor injection: who records calls, which
/// applications answer which numbers, what a transfer by the bridged agent does, and the prompt library and location
/// table the host's applications share with the PBX (created by the server when not given).
/// </summary>
public sealed class PbxPorts
{
    public ICallObserver Observer { get; init; } = CallObservers.None;
    public ICallApplications Applications { get; init; } = CallApplications.None;
    public IAgentTransfers Transfers { get; init; } = CallApplications.NoTransfers;
    public PromptLibrary? Prompts { get; init; }
    public LocationTable? Locations { get; init; }
}
