namespace Telephony.Pbx.Queues;

/// <summary>Scheduler-private state of one agent. Only <see cref="QueueScheduler"/> touches it.</summary>
internal sealed class QueueAgent(string id)
{
    public string Id { get; } = id;
    public AgentState State { get; set; } = AgentState.LoggedOut;
    public string? PauseReason { get; set; }
    /// <summary>The one offer ringing this agent (state Ringing).</summary>
    public RingLeg? Offer { get; set; }
    /// <summary>The one call bridged to this agent (state OnCall).</summary>
    public QueueCall? Call { get; set; }
    /// <summary>Longest-idle key: login time or the end of the last call's wrap-up.</summary>
    public DateTimeOffset IdleSince { get; set; }
    /// <summary>Set after a no-answer: every queue skips the agent until then.</summary>
    public DateTimeOffset? SkipUntil { get; set; }
    public DateTimeOffset WrapUpUntil { get; set; }
    public bool LogoutPending { get; set; }
    /// <summary>In wrap-up and held there until a disposition is set (the queue's <c>dispositionRequired</c>).</summary>
    public bool DispositionPending { get; set; }
    /// <summary>The interaction of the call whose wrap-up this is (and its queue), while in wrap-up.</summary>
    public string? WrapUpInteraction { get; set; }
    public string? WrapUpQueue { get; set; }
    public string? PendingPauseReason { get; set; }
}
