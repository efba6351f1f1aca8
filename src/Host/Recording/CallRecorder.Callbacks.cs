using System.Text.Json;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <content>Callbacks in the record: a callback attempt's call record names its callback and the call that asked for it;
/// callback events go to the event log and, for requests, completions and failures, become alerts (webhooks through the
/// outbox: signed, one delivery per alert).</content>
public sealed partial class CallRecorder
{
    /// <summary>
    /// Appends <paramref name="type"/> (<c>callback.requested</c>, <c>callback.attempt</c>, <c>callback.completed</c>,
    /// <c>callback.failed</c>, <c>callback.cancelled</c>) with <paramref name="payload"/> to the event log, on the storage
    /// queue; with <paramref name="alertKind"/> also raises that alert with the same payload (plus <c>kind</c>).
    /// </summary>
    public void OnCallbackEvent(string type, string? alertKind, string? callId, string? number, IReadOnlyDictionary<string, object?> payload,
        DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(payload);
        Append(type, callId, payload, at);
        if (alertKind is not null)
        {
            var alert = new Dictionary<string, object?>(payload) { ["kind"] = alertKind };
            RaiseAlert(alertKind, callId, number, JsonSerializer.Serialize(alert, JsonText), at);
        }
    }

    private void LinkCallbackCall(Call call)
    {
        if (call is CallbackCall callback)
        {
            var (id, callbackId, original) = (call.Id, callback.Dial.CallbackId, callback.Dial.OriginalCallId);
            Store(() => _callbacks.LinkCallAsync(RecordId(id), callbackId, original));
        }
    }
}
