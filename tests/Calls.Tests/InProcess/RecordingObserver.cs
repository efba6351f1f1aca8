using System.Collections.Concurrent;
using Telephony.Pbx.Calls;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>An <see cref="ICallObserver"/> that keeps everything it is told, for assertions.</summary>
internal sealed class RecordingObserver : ICallObserver
{
    public ConcurrentQueue<Call> Started { get; } = new();
    public ConcurrentQueue<(Call Call, InboundLeg Caller)> Answered { get; } = new();
    public ConcurrentQueue<(Call Call, char Digit)> Digits { get; } = new();
    public ConcurrentDictionary<string, CallEndInfo> Ended { get; } = new();
    public ConcurrentQueue<(Call Call, QueueCallEvent Event)> QueueEvents { get; } = new();
    public ConcurrentQueue<(Call Call, ApplicationProgress Progress)> Progress { get; } = new();
    public ConcurrentQueue<(Call Call, SupervisionEvent Event)> Supervision { get; } = new();

    public void OnCallStarted(Call call)
    {
        Started.Enqueue(call);
        ThrowIfAsked();
    }

    public void OnCallAnswered(Call call, InboundLeg caller)
    {
        Answered.Enqueue((call, caller));
        ThrowIfAsked();
    }

    public void OnDigit(Call call, CallLeg leg, char digit)
    {
        Digits.Enqueue((call, digit));
        ThrowIfAsked();
    }

    public void OnCallEnded(Call call, CallEndInfo info)
    {
        Ended[call.Id] = info;
        ThrowIfAsked();
    }

    public void OnQueueEvent(Call call, QueueCallEvent e)
    {
        QueueEvents.Enqueue((call, e));
        ThrowIfAsked();
    }

    public void OnApplicationProgress(Call call, ApplicationProgress progress)
    {
        Progress.Enqueue((call, progress));
        ThrowIfAsked();
    }

    public void OnSupervision(Call call, SupervisionEvent e)
    {
        Supervision.Enqueue((call, e));
        ThrowIfAsked();
    }

    /// <summary>When set, every notification throws after it was recorded (the call layer must shrug it off).</summary>
    public volatile bool Throws;

    private void ThrowIfAsked()
    {
        if (Throws)
        {
            throw new InvalidOperationException("observer failure asked by the test");
        }
    }

    /// <summary>The end of call <paramref name="callId"/> (waits up to 5 s of real time).</summary>
    public async Task<CallEndInfo> EndedAsync(string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (Ended.TryGetValue(callId, out var info))
            {
                return info;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"call {callId} did not end; ended: {string.Join(", ", Ended.Keys)}");
    }
}
