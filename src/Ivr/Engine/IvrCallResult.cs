namespace Telephony.Ivr.Engine;

/// <summary>
/// How an <see cref="IvrCall"/> ended: the reason, the last node and the final interaction data (after on_end handlers).
/// </summary>
public sealed record IvrCallResult(IvrEndReason Reason, string LastNode, IvrInteraction Interaction);
