using System.Text.Json;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <content>Queue events (<c>queue_events</c>, <c>queue.*</c> in the event log, queue/agent/wait on the call record) and
/// the IVR's path and variables on the call record.</content>
public sealed partial class CallRecorder
{
    private readonly QueueEventStore _queueEvents;

    /// <summary>
    /// Writes the event to <c>queue_events</c> and the event log (<c>queue.entered</c>, <c>queue.agent_rung</c>,
    /// <c>queue.agent_no_answer</c>, <c>queue.answered</c>, <c>queue.abandoned</c>, <c>queue.overflowed</c>,
    /// <c>queue.transferred</c>) and updates the call record: queue and priority on entry, agent and wait on answer,
    /// wait on abandon. Works also for a call whose record has just closed (an abandon seen after the hangup).
    /// </summary>
    public void OnQueueEvent(Call call, QueueCallEvent e)
    {
        var kind = e.Kind;
        var callId = call.Id;
        Store(() => _queueEvents.AppendAsync(RecordId(callId), e.Queue, kind, e.At, e.Agent, e.Detail));
        if (kind == QueueEventKind.Entered)
        {
            MarkEnteredQueue(callId, e.At);
        }
        switch (e.Kind)
        {
            case QueueEventKind.Entered:
                Store(() => _cdr.SetQueueAsync(RecordId(callId), e.Queue, e.Priority ?? 0));
                break;
            case QueueEventKind.Answered when e.Agent is { } agent:
                Store(() => _cdr.SetAgentAsync(RecordId(callId), agent, e.Wait ?? TimeSpan.Zero));
                break;
            case QueueEventKind.Abandoned or QueueEventKind.Overflowed when e.Wait is { } wait:
                Store(() => _cdr.SetWaitAsync(RecordId(callId), wait));
                break;
        }
        Append(EventTypes.Of(kind), callId, new
        {
            callId,
            caller = call.CallerNumber,
            queue = e.Queue,
            agent = e.Agent,
            priority = e.Priority,
            waitMs = e.Wait is { } w ? (long)w.TotalMilliseconds : (long?)null,
            detail = e.Detail,
        }, e.At);
    }

    /// <summary>
    /// Stores the IVR path (node ids, space separated) and the variables collected (JSON object) on the call's record,
    /// and logs <c>ivr.progress</c> (hand-off to a queue or transfer, the call goes on) or <c>ivr.ended</c>.
    /// </summary>
    public void OnApplicationProgress(Call call, ApplicationProgress progress)
    {
        var callId = call.Id;
        var ivrPath = string.Join(' ', progress.Path);
        var json = JsonSerializer.Serialize(progress.Variables, JsonText);
        Store(() => _cdr.SetIvrAsync(RecordId(callId), ivrPath, json));
        Append(progress.EndReason is null ? EventTypes.IvrProgress : EventTypes.IvrEnded, callId,
            new { callId, path = ivrPath, variables = progress.Variables, endReason = progress.EndReason }, progress.At);
    }

    /// <summary>
    /// Remembers that the call has a queue visit, so that its end closes it (<see cref="OnCallEnded"/> skips the close
    /// for calls that never entered a queue). The flag is set before the call's state is looked up again: when the call
    /// ended meanwhile (its end may not have seen the flag), the visit is closed here, after the append queued above.
    /// A second close of the same visit changes nothing (only open visits are closed); a call this recorder does not
    /// track gets no close, as before.
    /// </summary>
    private void MarkEnteredQueue(string callId, DateTimeOffset at)
    {
        if (!_calls.TryGetValue(callId, out var state))
        {
            return; // not a call this recorder tracks: its end never closed visits, and still does not
        }
        state.EnteredQueue = true;
        if (!_calls.TryGetValue(callId, out var now) || !ReferenceEquals(now, state))
        {
            Store(() => _queueEvents.CloseVisitsAsync(RecordId(callId), at));
        }
    }

    /// <summary>Talk time starts when a person was bridged (application calls), otherwise at the answer.</summary>
    private static DateTimeOffset? TalkStart(Call call, CallEndInfo info) =>
        call is ApplicationCall application ? application.ConnectedAt : info.AnsweredAt;
}
