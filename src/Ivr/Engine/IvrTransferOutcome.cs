namespace Telephony.Ivr.Engine;

/// <summary>How a transfer ended, as reported by <see cref="IIvrChannel.TransferAsync"/>.</summary>
public enum IvrTransferOutcome
{
    /// <summary>The target answered: the call leaves the IVR.</summary>
    Connected,
    /// <summary>Busy, no answer, rejected: the flow continues at the transfer node's <c>failed</c>.</summary>
    Failed,
}
