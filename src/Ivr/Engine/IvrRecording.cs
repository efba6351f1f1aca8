namespace Telephony.Ivr.Engine;

/// <summary>
/// One voicemail recording made by the channel: an id the channel knows it by, the audio length, whether nothing was said
/// (<paramref name="Empty"/>: no speech, the channel drops it), and why it ended. Pending until the call keeps it
/// (<see cref="IIvrChannel.SaveRecording"/>) or throws it away (<see cref="IIvrChannel.DiscardRecording"/>); one that is
/// neither when the call ends is kept by the channel.
/// </summary>
public sealed record IvrRecording(string Id, TimeSpan Duration, bool Empty, IvrRecordingEnd End);
