using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>Event type names written to the <see cref="EventLog"/> (category.what).</summary>
public static class EventTypes
{
    public const string CallStarted = "call.started";
    public const string CallAnswered = "call.answered";
    public const string CallEnded = "call.ended";
    public const string CallInterrupted = "call.interrupted";
    public const string QueueEvent = "queue.event";
    public const string QueueEntered = "queue.entered";
    public const string QueueAgentRung = "queue.agent_rung";
    public const string QueueAgentNoAnswer = "queue.agent_no_answer";
    public const string QueueAnswered = "queue.answered";
    public const string QueueAbandoned = "queue.abandoned";
    public const string QueueOverflowed = "queue.overflowed";
    public const string QueueTransferred = "queue.transferred";
    public const string QueueCallbackRequested = "queue.callback_requested";
    public const string CallbackRequested = "callback.requested";
    public const string CallbackAttempt = "callback.attempt";
    public const string CallbackCompleted = "callback.completed";
    public const string CallbackFailed = "callback.failed";
    public const string CallbackCancelled = "callback.cancelled";
    public const string IvrProgress = "ivr.progress";
    public const string IvrEnded = "ivr.ended";

    /// <summary>The event-log type of a queue event kind (<c>queue.entered</c>, <c>queue.agent_rung</c>...).</summary>
    public static string Of(QueueEventKind kind) => kind switch
    {
        QueueEventKind.Entered => QueueEntered,
        QueueEventKind.AgentRung => QueueAgentRung,
        QueueEventKind.AgentNoAnswer => QueueAgentNoAnswer,
        QueueEventKind.Answered => QueueAnswered,
        QueueEventKind.Abandoned => QueueAbandoned,
        QueueEventKind.Overflowed => QueueOverflowed,
        QueueEventKind.Transferred => QueueTransferred,
        QueueEventKind.CallbackRequested => QueueCallbackRequested,
        _ => QueueEvent,
    };
    public const string AgentState = "agent.state";
    public const string RecordingStarted = "recording.started";
    public const string RecordingCompleted = "recording.completed";
    public const string RecordingInterrupted = "recording.interrupted";
    public const string RecordingDeleted = "recording.deleted";
    public const string RecordingFailed = "recording.failed";
    public const string AlertCreated = "alert.created";
    public const string AlertDelivered = "alert.delivered";
    public const string VoicemailLeft = "voicemail.left";
    public const string VoicemailHeard = "voicemail.heard";
    public const string VoicemailHandled = "voicemail.handled";
    public const string SurveyCompleted = "survey.completed";
    public const string SurveySkipped = "survey.skipped";
    public const string CallDisposition = "call.disposition";
}
