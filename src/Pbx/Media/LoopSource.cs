namespace Telephony.Pbx.Media;

/// <summary>
/// Plays an <see cref="AudioClip"/> over and over (music or a tone on hold while a caller waits in a queue). Keeps its
/// position, so an announcement played in between resumes the loop where it stopped when the same instance is set
/// again. One instance per session.
/// </summary>
public sealed class LoopSource : MediaSource
{
    private int _position;

    public LoopSource(AudioClip clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Clip = clip;
    }

    public AudioClip Clip { get; }

    internal override void Render(RtpSession session, Span<short> output)
    {
        var samples = Clip.Samples.Span;
        if (samples.Length == 0)
        {
            output.Clear();
            return;
        }
        var written = 0;
        while (written < output.Length)
        {
            var take = Math.Min(output.Length - written, samples.Length - _position);
            samples.Slice(_position, take).CopyTo(output[written..]);
            written += take;
            _position += take;
            if (_position >= samples.Length)
            {
                _position = 0;
            }
        }
    }
}
