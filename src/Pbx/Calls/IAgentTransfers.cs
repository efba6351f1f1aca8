namespace Telephony.Pbx.Calls;

/// <summary>
/// What happens when the person bridged to an application call's caller hands the caller on: a blind transfer by
/// REFER (RFC 3515, RFC 5589 §6) to a queue or an extension, or a supervisor taking the caller over. The queue layer
/// implements it (it re-queues the caller or rings the extension, and releases the agent).
/// </summary>
public interface IAgentTransfers
{
    /// <summary>False when no transfer target exists (no queues): REFER is then refused with 405.</summary>
    bool AcceptsTransfers { get; }

    /// <summary>
    /// Moves the caller to <paramref name="target"/> (the user part of Refer-To). Called off the call's executor after
    /// the caller was detached from <paramref name="agent"/>; completes with the status of the final NOTIFY: 2xx when
    /// the caller was handed over (the agent's leg is then released), otherwise a failure status (the caller goes back
    /// to the agent).
    /// </summary>
    Task<int> BlindTransferAsync(ApplicationCall call, AgentLeg agent, string target);

    /// <summary>The bridged <paramref name="agent"/> left because <paramref name="supervisor"/> took the caller over.</summary>
    void OnAgentTakenOver(ApplicationCall call, string agent, string supervisor);
}
