using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Engine;

/// <summary>Starts IVR calls on the current flow version of a <see cref="IvrFlowRepository"/>.</summary>
public sealed class IvrEngine(IvrFlowRepository flows, TimeProvider? timeProvider = null, ILoggerFactory? loggerFactory = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Telephony.Ivr");

    /// <summary>True when a flow answers <paramref name="dialedNumber"/>.</summary>
    public bool Answers(string dialedNumber) => flows.FindByNumber(dialedNumber) is not null;

    /// <summary>
    /// Creates and starts a call on the flow answering <paramref name="dialedNumber"/> (null when none does). The call
    /// keeps that flow version even if the file is reloaded while it runs.
    /// </summary>
    public IvrCall? StartCall(string dialedNumber, string caller, IIvrChannel channel, string? callId = null)
    {
        var flow = flows.FindByNumber(dialedNumber);
        if (flow is null)
        {
            return null;
        }
        var call = new IvrCall(flow, channel, caller, dialedNumber, _time, _logger, callId);
        call.Start();
        return call;
    }
}
