using Telephony.Pbx.Contracts;

namespace Telephony.Recording.Storage;

/// <summary>A call detail record (row of <c>calls</c>): one per interaction.</summary>
public sealed record CallRecord
{
    /// <summary>Interaction id (kept across queue hops and transfers).</summary>
    public string Id { get; init; } = "";

    public string Caller { get; init; } = "";

    /// <summary>Dialed number (DID).</summary>
    public string Dialed { get; init; } = "";

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? AnsweredAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    /// <summary>IVR node ids visited, space separated.</summary>
    public string? IvrPath { get; init; }

    /// <summary>JSON object of variables collected by the IVR.</summary>
    public string? Variables { get; init; }

    public string? Queue { get; init; }

    public int? Priority { get; init; }

    /// <summary>Time waited in queue before an agent answered (or the caller left).</summary>
    public TimeSpan? Wait { get; init; }

    public string? Agent { get; init; }

    public TimeSpan? TalkTime { get; init; }

    public CallOutcome? Outcome { get; init; }

    /// <summary>SIP status / Reason header text, or a server reason.</summary>
    public string? HangupCause { get; init; }

    public HangupSide? HangupSide { get; init; }

    /// <summary>A callback attempt's call: the callback it belongs to (schema 7), else null.</summary>
    public string? CallbackId { get; init; }

    /// <summary>A callback attempt's call: the call that asked for the callback, else null.</summary>
    public string? CallbackOf { get; init; }
    /// <summary>Disposition codes set by the agent, comma separated in the order set (the latest setting).</summary>
    public string? Disposition { get; init; }

    /// <summary>The agent's note with the disposition.</summary>
    public string? DispositionNote { get; init; }

    /// <summary>The post-call survey's score (1-5); null when the caller gave none.</summary>
    public int? Csat { get; init; }

    /// <summary>Every answer of the post-call survey (JSON object, e.g. <c>{"csat":"4","resolved":"1"}</c>).</summary>
    public string? Survey { get; init; }
}
