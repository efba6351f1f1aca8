using Telephony.Pbx.Media;
using Telephony.Recording.Writing;

namespace Telephony.Host.Recording;

/// <summary>Adapts a session's <see cref="IMediaTap"/> to a recording <see cref="IPcmFrameSink"/>: what the caller
/// sends goes to the left channel, what we send the caller to the right. Never blocks or allocates.</summary>
public sealed class MediaTapSink(IPcmFrameSink sink) : IMediaTap
{
    public void OnFrame(ReadOnlySpan<short> received, ReadOnlySpan<short> sent) => sink.TryWrite(received, sent);
}
