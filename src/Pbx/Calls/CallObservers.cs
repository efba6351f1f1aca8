namespace Telephony.Pbx.Calls;

/// <summary>Ready-made <see cref="ICallObserver"/>s.</summary>
public static class CallObservers
{
    /// <summary>Ignores everything (a server without call records, tests).</summary>
    public static ICallObserver None { get; } = new NoObserver();

    private sealed class NoObserver : ICallObserver
    {
        public void OnCallStarted(Call call)
        {
        }

        public void OnCallAnswered(Call call, CallLeg caller)
        {
        }

        public void OnDigit(Call call, CallLeg leg, char digit)
        {
        }

        public void OnCallEnded(Call call, CallEndInfo info)
        {
        }
    }
}
