using Telephony.Pbx.Media;

namespace Telephony.Pbx.Calls;

/// <summary>
/// What the caller of an <see cref="ApplicationCall"/> hears while no person is bridged to them: prompts played in
/// order, then the background (silence, hold music, ringback, a trunk's early media). Runs on the call's executor
/// only; the call's public methods post to it. A prompt played over hold music returns to the music where it stopped.
/// </summary>
internal sealed class CallerAudio(ApplicationCall call) : IPartyAudio
{
    private readonly Lock _playGate = new();
    private TaskCompletionSource? _play;
    private int _playGeneration;
    private MediaSource _background = SilenceSource.Instance;

    private RtpSession? Caller => call.CallerLeg.Media;

    /// <summary>True while a prompt plays (any thread).</summary>
    public bool IsPlaying
    {
        get
        {
            lock (_playGate)
            {
                return _play is not null;
            }
        }
    }

    /// <summary>
    /// Plays <paramref name="clips"/> in order, then returns to the background; <paramref name="done"/> completes when
    /// the last clip ends or the play is stopped, replaced, bridged over or the call ends. Nothing plays while a person
    /// is bridged.
    /// </summary>
    public void Play(IReadOnlyList<AudioClip> clips, TaskCompletionSource done)
    {
        Stop(resumeBackground: false);
        var media = Caller;
        if (call.IsEnded || media is null || call.BridgedAgent is not null || clips.Count == 0)
        {
            done.TrySetResult();
            if (clips.Count == 0)
            {
                media?.SetSource(_background);
            }
            return;
        }
        int generation;
        lock (_playGate)
        {
            generation = ++_playGeneration;
            _play = done;
        }
        MediaSource chain = _background;
        for (var i = clips.Count - 1; i >= 0; i--)
        {
            Action? onFinished = i == clips.Count - 1 ? () => call.Executor.Post(() => Finished(generation)) : null;
            chain = new PromptSource(clips[i], chain, onFinished);
        }
        media.SetSource(chain);
    }

    /// <summary>Stops the prompt in progress (its task completes); the background resumes unless a person is bridged or
    /// <paramref name="resumeBackground"/> is false (the caller's audio is about to be taken over).</summary>
    public void Stop(bool resumeBackground)
    {
        TaskCompletionSource? done;
        lock (_playGate)
        {
            _playGeneration++;
            done = _play;
            _play = null;
        }
        if (done is null)
        {
            return;
        }
        if (resumeBackground && call.BridgedAgent is null)
        {
            Caller?.SetSource(_background);
        }
        done.TrySetResult();
    }

    /// <summary>Makes <paramref name="background"/> what the caller hears between prompts (heard at once unless a
    /// prompt plays).</summary>
    public void SetBackground(MediaSource background)
    {
        _background = background;
        if (!IsPlaying)
        {
            Caller?.SetSource(_background);
        }
    }

    /// <summary>Someone else takes the caller's audio (a person, or a trunk's early media): the prompt stops without
    /// resuming, the background becomes silence, and the caller hears <paramref name="source"/>.</summary>
    public void HandOver(MediaSource source)
    {
        Stop(resumeBackground: false);
        _background = SilenceSource.Instance;
        Caller?.SetSource(source);
    }

    /// <summary>The call ended: a prompt's task completes.</summary>
    public void Complete()
    {
        lock (_playGate)
        {
            _play?.TrySetResult();
            _play = null;
        }
    }

    private void Finished(int generation)
    {
        TaskCompletionSource? done;
        lock (_playGate)
        {
            if (generation != _playGeneration)
            {
                return;
            }
            done = _play;
            _play = null;
        }
        done?.TrySetResult();
    }
}
