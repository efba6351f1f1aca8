namespace Telephony.Pbx.Calls;

/// <summary>
/// Narrow port through which the call layer reports a call's life cycle (for call records, recording, the event log
/// and missed-call alerts; the Host adapts it to Telephony.Recording). Methods are called on the call's
/// <see cref="CallExecutor"/> (or the thread that registered the call) and must return quickly: hand slow work
/// (disk, database) to a background queue. Exceptions are caught and logged; they never affect the call.
/// </summary>
public interface ICallObserver
{
    /// <summary>A new call was accepted for routing (after authentication): <see cref="Call.CallerNumber"/> and
    /// <see cref="Call.DialedNumber"/> are known.</summary>
    void OnCallStarted(Call call);

    /// <summary>The call reached its customer: the caller's INVITE was answered with 2xx (RFC 3261 §13.3.1.4), or, for a
    /// call the server originated (a <see cref="CallbackCall"/>), the customer answered ours. <paramref name="caller"/> is
    /// the customer's leg (an <see cref="InboundLeg"/> or an <see cref="OutboundLeg"/>), whose <see cref="CallLeg.Media"/>
    /// carries the customer's audio (received) and everything we send them (sent): the recording taps it.</summary>
    void OnCallAnswered(Call call, CallLeg caller);

    /// <summary>A DTMF digit arrived on one of the call's legs.</summary>
    void OnDigit(Call call, CallLeg leg, char digit);

    /// <summary>The call ended (exactly once per call).</summary>
    void OnCallEnded(Call call, CallEndInfo info);

    /// <summary>A supervisor joined, switched mode on, or left this call (default: ignored).</summary>
    void OnSupervision(Call call, SupervisionEvent e)
    {
    }

    /// <summary>A queue event of an application call: entered, agent rung, agent no answer, answered, abandoned,
    /// overflowed, transferred (default: ignored). Called from the queue layer's threads, in the order they happen.</summary>
    void OnQueueEvent(Call call, QueueCallEvent e)
    {
    }

    /// <summary>The application reported the caller's progress (IVR path and variables; default: ignored). Called from
    /// the application's thread.</summary>
    void OnApplicationProgress(Call call, ApplicationProgress progress)
    {
    }
}
