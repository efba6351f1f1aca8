namespace Telephony.Recording.Storage;

/// <summary>Event type names written to the <see cref="EventLog"/> (category.what).</summary>
public static class EventTypes
{
    public const string CallStarted = "call.started";
    public const string CallAnswered = "call.answered";
    public const string CallEnded = "call.ended";
    public const string CallInterrupted = "call.interrupted";
    public const string QueueEvent = "queue.event";
    public const string AgentState = "agent.state";
    public const string RecordingStarted = "recording.started";
    public const string RecordingCompleted = "recording.completed";
    public const string RecordingInterrupted = "recording.interrupted";
    public const string RecordingDeleted = "recording.deleted";
    public const string RecordingFailed = "recording.failed";
    public const string AlertCreated = "alert.created";
    public const string AlertDelivered = "alert.delivered";
}
