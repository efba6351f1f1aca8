using Microsoft.Extensions.Logging;
using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

// Hand-offs out of the IVR (queues, transfers) and channel failures.
public sealed partial class IvrCall
{
    private void EnterQueue(QueueNode queue)
    {
        _typeAhead.Clear();
        _variables["queue"] = queue.Queue;
        var priority = queue.Priority ?? _priority;
        var request = new IvrQueueRequest(queue.Queue, priority, queue.MaxWait,
            Flow.TargetOf(queue, IvrEvents.Overflow) is not null, Snapshot(), queue.Events.ContainsKey(IvrEvents.Callback));
        Task<IvrQueueOutcome> task;
        try
        {
            task = _channel.EnqueueAsync(request);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            task = Task.FromException<IvrQueueOutcome>(e);
        }
        Observe(task, outcome => _machine.Fire(_triggers.QueueResult, outcome));
    }

    private void HandleQueueResult(IvrNode node, IvrQueueOutcome outcome)
    {
        Trace($"queue: {outcome.ToString().ToLowerInvariant()}");
        switch (outcome)
        {
            case IvrQueueOutcome.Answered:
                _machine.Fire(_triggers.Finish, IvrEndReason.Answered);
                break;
            case IvrQueueOutcome.Overflow:
                Go(node, IvrEvents.Overflow);
                break;
            case IvrQueueOutcome.Callback when node.Events.ContainsKey(IvrEvents.Callback):
                Go(node, IvrEvents.Callback);
                break;
            case IvrQueueOutcome.Callback:
                _machine.Fire(_triggers.Finish, IvrEndReason.Callback); // the queue said goodbye and hangs up
                break;
            default:
                Go(node, IvrEvents.Error);
                break;
        }
    }

    private void EnterTransfer(TransferNode transfer)
    {
        _typeAhead.Clear();
        Task<IvrTransferOutcome> task;
        try
        {
            task = _channel.TransferAsync(new IvrTransferRequest(transfer.To, transfer.Trunk, Snapshot()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            task = Task.FromException<IvrTransferOutcome>(e);
        }
        Observe(task, outcome => _machine.Fire(_triggers.TransferResult, outcome));
    }

    private void HandleTransferResult(IvrNode node, IvrTransferOutcome outcome)
    {
        Trace($"transfer: {outcome.ToString().ToLowerInvariant()}");
        if (outcome == IvrTransferOutcome.Connected)
        {
            _machine.Fire(_triggers.Finish, IvrEndReason.Transferred);
        }
        else
        {
            Go(node, IvrEvents.Failed);
        }
    }

    private void HandleChannelError(IvrNode node, string reason)
    {
        Trace($"channel error: {reason}");
        _logger.LogWarning("IVR {CallId}: channel error in node {Node}: {Reason}", CallId, node.Id, reason);
        Go(node, IvrEvents.Error);
    }

    internal static string Describe(TimeSpan? duration) => duration is { } d ? DurationText.Format(d) : "default";
}
