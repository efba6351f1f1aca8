using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Mixer;
using Telephony.Recording.Writing;

namespace Telephony.Host.Recording;

/// <summary>
/// Adapts a session's <see cref="IMediaTap"/> to a recording <see cref="IPcmFrameSink"/>: what the caller sends goes
/// to the left channel; the right channel is "our side", i.e. what we send the caller, or, while a supervisor is
/// joined (<paramref name="ourSide"/>, the supervised call's <c>RecordingMix</c>), the agent plus the supervisor
/// whenever caller or agent can hear the supervisor, so a whisper is recorded too. Falls back to what the caller hears
/// when that mix is not (yet, or any more) in the conference. Never blocks or allocates.
/// </summary>
public sealed class MediaTapSink(IPcmFrameSink sink, MixerListener? ourSide = null) : IMediaTap
{
    /// <summary>The recording this tap feeds.</summary>
    public IPcmFrameSink Sink => sink;

    /// <summary>The mix used for the right channel, or null (what the caller hears).</summary>
    public MixerListener? OurSide => ourSide;

    public void OnFrame(ReadOnlySpan<short> received, ReadOnlySpan<short> sent)
    {
        var right = sent;
        if (ourSide is not null)
        {
            var mixed = ourSide.Read();
            if (mixed.Length == sent.Length)
            {
                right = mixed;
            }
        }
        sink.TryWrite(received, right);
    }
}
