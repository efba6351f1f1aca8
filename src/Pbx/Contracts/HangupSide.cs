namespace Telephony.Pbx.Contracts;

/// <summary>Which side ended a call (BYE or CANCEL sender, RFC 3261 §15), or the server itself.</summary>
public enum HangupSide
{
    /// <summary>The party that placed the call (BYE or CANCEL on the inbound leg).</summary>
    Caller,

    /// <summary>The called party: an agent, an extension or the far end we called (BYE on an outbound leg, or a
    /// busy/decline final response).</summary>
    Callee,

    /// <summary>The server: IVR hangup node, prompt finished, media or ring timeout, overflow, shutdown, errors.</summary>
    System,
}
