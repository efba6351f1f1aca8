namespace Telephony.Host.Recording;

/// <summary>Wakes live event-stream readers when an event was appended to the log (they then read the log).</summary>
public sealed class EventNotifier
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the next <see cref="Notify"/> happens.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
