namespace Telephony.Pbx.Media;

/// <summary>
/// Plays an <see cref="AudioClip"/> paced at one 20 ms frame per tick, then switches the session to <c>then</c>
/// (silence by default) and raises <c>onFinished</c> on the thread pool. An instance keeps its play position, so use
/// one instance per session and play.
/// </summary>
public sealed class PromptSource : MediaSource
{
    private readonly Action? _onFinished;
    private int _position;
    private bool _finished;

    public PromptSource(AudioClip clip, MediaSource? then = null, Action? onFinished = null)
    {
        ArgumentNullException.ThrowIfNull(clip);
        Clip = clip;
        Then = then ?? SilenceSource.Instance;
        _onFinished = onFinished;
    }

    public AudioClip Clip { get; }
    public MediaSource Then { get; }

    internal override void Render(RtpSession session, Span<short> output)
    {
        var samples = Clip.Samples.Span;
        var take = Math.Min(output.Length, samples.Length - _position);
        if (take > 0)
        {
            samples.Slice(_position, take).CopyTo(output);
            _position += take;
        }

        output[Math.Max(take, 0)..].Clear();
        if (_position >= samples.Length && !_finished)
        {
            _finished = true;
            session.SetSourceFromLoop(Then);
            if (_onFinished is not null)
            {
                ThreadPool.UnsafeQueueUserWorkItem(static a => a(), _onFinished, preferLocal: false);
            }
        }
    }
}
