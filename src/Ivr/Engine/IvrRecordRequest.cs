namespace Telephony.Ivr.Engine;

/// <summary>
/// What a <c>voicemail</c> node asks the channel to record: the caller's voice into <paramref name="Mailbox"/> (a queue
/// name or an extension), ending by itself after <paramref name="Silence"/> of silence (null: never) or at the latest after
/// <paramref name="MaxLength"/> (the call also stops it: finish key, its own timer), with the interaction data.
/// </summary>
public sealed record IvrRecordRequest(string Mailbox, TimeSpan MaxLength, TimeSpan? Silence, IvrInteraction Interaction);
