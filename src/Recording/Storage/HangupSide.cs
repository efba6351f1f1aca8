namespace Telephony.Recording.Storage;

/// <summary>Who hung up first.</summary>
public enum HangupSide
{
    Caller,

    /// <summary>Our side: agent or far end we called.</summary>
    Callee,

    /// <summary>The server (IVR hangup node, timeout, overflow, shutdown).</summary>
    System,
}
