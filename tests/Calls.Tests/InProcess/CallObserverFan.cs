using Telephony.Pbx.Calls;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>Hands every call event to two observers (the test's recorder and, e.g., the Host's real CallRecorder).</summary>
internal sealed class CallObserverFan(ICallObserver first, ICallObserver second) : ICallObserver
{
    public void OnCallStarted(Call call)
    {
        first.OnCallStarted(call);
        second.OnCallStarted(call);
    }

    public void OnCallAnswered(Call call, CallLeg caller)
    {
        first.OnCallAnswered(call, caller);
        second.OnCallAnswered(call, caller);
    }

    public void OnDigit(Call call, CallLeg leg, char digit)
    {
        first.OnDigit(call, leg, digit);
        second.OnDigit(call, leg, digit);
    }

    public void OnCallEnded(Call call, CallEndInfo info)
    {
        first.OnCallEnded(call, info);
        second.OnCallEnded(call, info);
    }

    public void OnSupervision(Call call, SupervisionEvent e)
    {
        first.OnSupervision(call, e);
        second.OnSupervision(call, e);
    }

    public void OnQueueEvent(Call call, QueueCallEvent e)
    {
        first.OnQueueEvent(call, e);
        second.OnQueueEvent(call, e);
    }

    public void OnApplicationProgress(Call call, ApplicationProgress progress)
    {
        first.OnApplicationProgress(call, progress);
        second.OnApplicationProgress(call, progress);
    }
}
