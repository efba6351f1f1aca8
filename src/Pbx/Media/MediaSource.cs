namespace Telephony.Pbx.Media;

/// <summary>
/// What an <see cref="RtpSession"/> sends: each 20 ms tick its media loop asks the source for one 160-sample frame
/// of 8 kHz PCM, which the session then encodes in its own codec. Sources render on the loop thread and must not
/// block or allocate. Only this assembly defines sources.
/// </summary>
public abstract class MediaSource
{
    private protected MediaSource()
    {
    }

    /// <summary>Fills <paramref name="output"/> (160 samples) for <paramref name="session"/>; loop thread only.</summary>
    internal abstract void Render(RtpSession session, Span<short> output);
}
