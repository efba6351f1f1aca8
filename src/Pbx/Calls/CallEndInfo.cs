using Telephony.Pbx.Contracts;

namespace Telephony.Pbx.Calls;

/// <summary>How a call ended, as reported to <see cref="ICallObserver.OnCallEnded"/>.</summary>
/// <param name="Answered">True when the caller's INVITE got a 2xx.</param>
/// <param name="AnsweredAt">When it was answered (UTC), or null.</param>
/// <param name="EndedAt">When the call ended (UTC).</param>
/// <param name="Side">Who ended it.</param>
/// <param name="Cause">Human-readable cause ("caller hung up", "callee failed with 486", ...).</param>
/// <param name="RejectStatus">Final status sent to the caller when the call was not answered (RFC 3261 §21), e.g.
/// 487 after CANCEL, 486 busy, 480 unavailable; null when none was sent.</param>
/// <param name="Outcome">Outcome named by the call type itself (<see cref="Call.Outcome"/>), e.g. an IVR or queue call
/// that was answered by the server but never reached a person: "AbandonedInIvr", "AbandonedInQueue", "Overflowed",
/// "NoAgent", "AfterHours". Null: the observer derives it from the other fields.</param>
public sealed record CallEndInfo(
    bool Answered,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset EndedAt,
    HangupSide Side,
    string Cause,
    int? RejectStatus,
    CallOutcome Outcome);
