using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

// The callback node: the channel asks the caller for the number and books the callback; the result moves the call.
public sealed partial class IvrCall
{
    private void EnterCallback(CallbackNode callback)
    {
        _typeAhead.Clear();
        Task<IvrCallbackOutcome> task;
        try
        {
            task = _channel.RequestCallbackAsync(new IvrCallbackRequest(callback.Queue, callback.Priority ?? _priority, Snapshot()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            task = Task.FromException<IvrCallbackOutcome>(e);
        }
        Observe(task, outcome =>
        {
            Trace($"callback: {outcome.ToString().ToLowerInvariant()}");
            Go(callback, outcome == IvrCallbackOutcome.Booked ? IvrEvents.Done : IvrEvents.Failed);
        });
    }
}
