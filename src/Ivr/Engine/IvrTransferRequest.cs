namespace Telephony.Ivr.Engine;

/// <summary>
/// What <see cref="IIvrChannel.TransferAsync"/> receives: an extension or external number, the trunk for external numbers, and
/// the interaction data.
/// </summary>
public sealed record IvrTransferRequest(string Target, string? Trunk, IvrInteraction Interaction);
