using Telephony.Host.Callbacks;
using Telephony.Pbx.Calls;

namespace Telephony.Host.Ivr;

// Callbacks: the call center originates callback calls through the server's call manager (attached when the server is
// built, after the call center), and keeps callbacks in the ledger with the IVR's opening hours.
public sealed partial class CallCenter
{
    private ICallOriginator? _originator;

    /// <summary>The server's call manager exists (called once by it): callback calls can be originated.</summary>
    void ICallApplications.Attach(ICallOriginator originator) => Volatile.Write(ref _originator, originator);

    /// <summary>The attached call manager's context; throws before the server exists (no callback is dialed before).</summary>
    CallContext ICallOriginator.Context =>
        Volatile.Read(ref _originator)?.Context ?? throw new InvalidOperationException("the PBX server is not built yet");

    /// <summary>Starts a callback call on the attached call manager; false before the server exists or while it stops.</summary>
    bool ICallOriginator.Originate(Call call) => Volatile.Read(ref _originator)?.Originate(call) ?? false;

    /// <summary>The queues' callback port, or null when no ledger was given (callbacks off).</summary>
    private ICallbackBook? CallbackBook() =>
        callbacks is null ? null : new CallbackBook(callbacks, new CallbackHours(() => Flows?.Current, ivrClock, _time));
}
