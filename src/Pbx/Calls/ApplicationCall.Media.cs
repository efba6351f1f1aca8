using Telephony.Pbx.Media;

namespace Telephony.Pbx.Calls;

// What the caller hears while the application has them: prompts, hold audio, announcements over hold.
public sealed partial class ApplicationCall
{
    private readonly Lock _playGate = new();
    private TaskCompletionSource? _play;
    private int _playGeneration;
    private MediaSource _background = SilenceSource.Instance;

    /// <summary>
    /// Plays <paramref name="clips"/> in order, then returns to the background (silence, or the hold loop). Completes
    /// when the last clip ends or when <see cref="StopPlayback"/>, another play, a bridge or the end of the call stops
    /// it. A play replaces the one in progress.
    /// </summary>
    public Task PlayAsync(IReadOnlyList<AudioClip> clips)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (IsEnded)
        {
            done.SetException(new InvalidOperationException("the call has ended"));
            return done.Task;
        }
        Executor.Post(() => StartPlay(clips, done));
        return done.Task;
    }

    /// <summary>Stops the current playback at once (barge-in); the background resumes. No-op when nothing plays.</summary>
    public void StopPlayback() => Executor.Post(() => StopPlay(resumeBackground: true));

    /// <summary>
    /// Starts hold audio: <paramref name="music"/> looped (silence when null) from now until a bridge or the end of the
    /// call; prompts played meanwhile (announcements) return to it where it stopped.
    /// </summary>
    public void StartHold(AudioClip? music) => Executor.Post(() =>
    {
        _background = music is null ? SilenceSource.Instance : new LoopSource(music);
        if (!IsPlaying)
        {
            _caller.Media?.SetSource(_background);
        }
    });

    /// <summary>Stops hold audio (the caller hears silence unless a prompt plays).</summary>
    public void StopHold() => Executor.Post(() =>
    {
        _background = SilenceSource.Instance;
        if (!IsPlaying)
        {
            _caller.Media?.SetSource(_background);
        }
    });

    /// <summary>Plays <paramref name="goodbye"/> (when given), then ends the call with BYE.</summary>
    public void Hangup(AudioClip? goodbye, string reason)
    {
        if (goodbye is null)
        {
            Hangup(reason);
            return;
        }
        _ = PlayAsync([goodbye]).ContinueWith(_ => Hangup(reason), TaskScheduler.Default);
    }

    private bool IsPlaying
    {
        get
        {
            lock (_playGate)
            {
                return _play is not null;
            }
        }
    }

    private void StartPlay(IReadOnlyList<AudioClip> clips, TaskCompletionSource done)
    {
        StopPlay(resumeBackground: false);
        var media = _caller.Media;
        if (IsEnded || media is null || _bridged is not null || clips.Count == 0)
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
            Action? onFinished = i == clips.Count - 1 ? () => Executor.Post(() => PlayFinished(generation)) : null;
            chain = new PromptSource(clips[i], chain, onFinished);
        }
        media.SetSource(chain);
    }

    private void PlayFinished(int generation)
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

    private void StopPlay(bool resumeBackground)
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
        if (resumeBackground && _bridged is null)
        {
            _caller.Media?.SetSource(_background);
        }
        done.TrySetResult();
    }
}
