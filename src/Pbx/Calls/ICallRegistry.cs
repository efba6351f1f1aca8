namespace Telephony.Pbx.Calls;

/// <summary>
/// Where calls and their legs are found: the server's dispatcher routes an in-dialog request, ACK or stray response
/// to the leg whose dialog it belongs to (Call-ID + our tag, RFC 3261 §12.2.2). A call adds the legs it creates after
/// it started (forks, trunk legs) and leaves when it ends.
/// </summary>
public interface ICallRegistry
{
    /// <summary>Makes <paramref name="leg"/> findable by its Call-ID and local tag.</summary>
    void RegisterLeg(CallLeg leg);

    /// <summary>The call ended: it leaves the active calls; its legs stay findable a while for late retransmissions.</summary>
    void Unregister(Call call);
}
