namespace Telephony.Pbx.Calls;

/// <summary>Which side ended a call (BYE or CANCEL sender, RFC 3261 §15), or the server itself.</summary>
public enum HangupParty
{
    /// <summary>The party that placed the call (BYE or CANCEL on the inbound leg).</summary>
    Caller,

    /// <summary>The called party (BYE on an outbound leg, or a busy/decline final response).</summary>
    Callee,

    /// <summary>The server: prompt finished, media timeout, ring timeout, shutdown, errors.</summary>
    System,
}
