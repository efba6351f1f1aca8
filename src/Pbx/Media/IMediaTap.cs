namespace Telephony.Pbx.Media;

/// <summary>
/// Observes the audio of one <see cref="RtpSession"/> (e.g. for call recording, RFC 3550 §6 leaves recording to the
/// application). <see cref="OnFrame"/> is called on the media loop once per 20 ms tick, after the session rendered
/// what it sends: <c>received</c> is the decoded frame from the remote party (silence or concealment when nothing
/// arrived), <c>sent</c> the frame we send to it. Implementations must not block, allocate, lock or do I/O: copy the
/// frame into a queue and return. An exception is caught and counted as a session error by the loop.
/// </summary>
public interface IMediaTap
{
    /// <summary>One tick of audio: 160 samples each (8 kHz, 20 ms).</summary>
    void OnFrame(ReadOnlySpan<short> received, ReadOnlySpan<short> sent);
}
