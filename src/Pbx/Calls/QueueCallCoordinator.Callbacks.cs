using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;

namespace Telephony.Pbx.Calls;

// Callbacks offered to waiting callers: after the queue's offerAfterSeconds, the periodic announcement ends with
// "press 1 to be called back, you keep your place in line"; the key starts a CallbackRequestDialog (confirm the number,
// or key another one ended by #), and the confirmed request turns the caller's entry into a callback in place.
public sealed partial class QueueCallCoordinator
{
    /// <summary>The callbacks of the queues (requests, attempts, retries), or null when callbacks are off (no originator
    /// or no callback book was given).</summary>
    public CallbackDesk? Callbacks { get; }

    /// <summary>
    /// A callback asked for outside the queue's line (an IVR <c>callback</c> node): the caller confirms their number or
    /// keys another one (the same dialog as in the queue), then the callback joins <paramref name="queue"/>'s line now
    /// (<see cref="CallbackDesk.RequestAsync"/>). Refused (409) when no number was confirmed; null placement never.
    /// </summary>
    public async Task<CallbackPlacement> RequestCallbackFromCallerAsync(ApplicationCall call, string queue, int priority,
        IReadOnlyList<string> tags, IReadOnlyDictionary<string, string> data)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (Callbacks is not { } desk)
        {
            return CallbackPlacement.Refused(503, "callbacks are off");
        }
        if (Config.Find(queue)?.Callback is null)
        {
            return CallbackPlacement.Refused(409, $"queue '{queue}' takes no callbacks");
        }
        var dialog = new CallbackRequestDialog(call, Prompt, Clock, _logger);
        Action<ApplicationCall, char> keys = (_, digit) => dialog.OnDigit(digit);
        call.DigitReceived += keys;
        string? number;
        try
        {
            using var ended = call.Ended.ContinueWith(_ => dialog.Abort(), TaskScheduler.Default);
            number = await dialog.RunAsync(call.FromTrunk ? call.Caller : null).ConfigureAwait(false);
        }
        finally
        {
            call.DigitReceived -= keys;
        }
        if (number is null || call.IsEnded)
        {
            return CallbackPlacement.Refused(409, "no number was confirmed");
        }
        var now = Now;
        var placement = await desk.RequestAsync(new CallbackTicket
        {
            Id = Guid.NewGuid().ToString("N"),
            Queue = queue,
            Number = number,
            Priority = priority,
            ArrivedAt = now,
            RequestedAt = now,
            Source = "ivr",
            RequestedBy = call.Caller,
            OriginalCallId = call.Id,
            CallerId = call.Dialed,
            Tags = tags,
            Data = data,
        }).ConfigureAwait(false);
        if (placement.Accepted)
        {
            call.SetProgress(CallOutcome.CallbackRequested);
        }
        return placement;
    }

    private void ListenForCallbackKey(Waiter waiter)
    {
        if (Callbacks is null)
        {
            return;
        }
        Action<ApplicationCall, char> listener = (_, digit) => OnCallerKey(waiter, digit);
        waiter.KeyListener = listener;
        waiter.Call.DigitReceived += listener;
    }

    private static void StopListeningForCallbackKey(Waiter waiter)
    {
        if (waiter.KeyListener is { } listener)
        {
            waiter.Call.DigitReceived -= listener;
            waiter.KeyListener = null;
        }
    }

    /// <summary>The prompt that ends an announcement when the caller may book a callback: the queue takes callbacks and
    /// offers them, the caller came from a trunk (there is a number to call back) and has waited long enough.</summary>
    private List<string> CallbackOffer(Waiter waiter)
    {
        if (Callbacks is null || waiter.Call.IsEnded || !waiter.Call.FromTrunk || waiter.Connected
            || Config.Find(waiter.Queue)?.Callback is not { } options || options.OfferAfter <= TimeSpan.Zero
            || Now - waiter.EnteredAt < options.OfferAfter - TimeSpan.FromSeconds(1))
        {
            return [];
        }
        waiter.CallbackOffered = true;
        return ["en/queue/callback-offer"];
    }

    /// <summary>A key from a waiting caller (on the call's executor): the offer key starts the request; while the number
    /// is being keyed, every key goes to the dialog.</summary>
    private void OnCallerKey(Waiter waiter, char digit)
    {
        if (waiter.Confirming is { } confirming)
        {
            confirming.OnDigit(digit);
            return;
        }
        if (!waiter.CallbackOffered || !waiter.InScheduler || waiter.Connected || waiter.Call.IsEnded
            || Config.Find(waiter.Queue)?.Callback is not { } options || digit != options.Digit)
        {
            return;
        }
        var dialog = new CallbackRequestDialog(waiter.Call, Prompt, Clock, _logger);
        waiter.Confirming = dialog;
        _logger.LogInformation("Queue {Queue}: {Interaction} asks for a callback", waiter.Queue, waiter.Call.InteractionId);
        _ = Task.Run(() => RequestCallbackAsync(waiter, dialog));
    }

    private async Task RequestCallbackAsync(Waiter waiter, CallbackRequestDialog dialog)
    {
        var call = waiter.Call;
        try
        {
            var number = await dialog.RunAsync(call.FromTrunk ? call.Caller : null).ConfigureAwait(false);
            if (number is null || waiter.Connected || !waiter.InScheduler || call.IsEnded || Callbacks is not { } desk)
            {
                return; // no number, or an agent took the call meanwhile: the caller simply keeps waiting
            }
            var entry = waiter.Entry;
            var now = Now;
            var ticket = new CallbackTicket
            {
                Id = Guid.NewGuid().ToString("N"),
                Queue = waiter.Queue,
                Number = number,
                Priority = entry.Priority,
                ArrivedAt = waiter.EnteredAt,
                RequestedAt = now,
                Source = "queue",
                RequestedBy = call.Caller,
                OriginalCallId = call.Id,
                CallerId = call.Dialed,
                Tags = entry.Tags,
                Data = entry.Data,
            };
            var placement = await desk.ConvertCallerAsync(call.InteractionId, ticket, CancellationToken.None).ConfigureAwait(false);
            if (!placement.Accepted)
            {
                return;
            }
            // The caller's stay ends here, served another way: not an abandon.
            waiter.InScheduler = false;
            _waiters.TryRemove(new KeyValuePair<string, Waiter>(call.InteractionId, waiter));
            StopListeningForCallbackKey(waiter);
            Report(waiter, new QueueCallEvent(QueueEventKind.CallbackRequested, waiter.Queue, now, Priority: entry.Priority,
                Wait: now - waiter.EnteredAt, Detail: "callback:" + ticket.Id));
            call.SetProgress(CallOutcome.CallbackRequested);
            call.StopHold();
            if (!entry.HasCallbackPath)
            {
                call.Hangup(Prompt("en/queue/callback-booked"), "callback requested");
            }
            waiter.Outcome.TrySetResult(QueueEntryOutcome.CallbackRequested);
            _logger.LogInformation("Queue {Queue}: {Interaction} will be called back at {Number} (callback {Callback}, position {Position})",
                waiter.Queue, call.InteractionId, number, ticket.Id, placement.Position);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogError(ex, "Queue {Queue}: callback request of {Interaction} failed; the caller keeps waiting", waiter.Queue,
                call.InteractionId);
        }
        finally
        {
            waiter.Confirming = null;
        }
    }
}
