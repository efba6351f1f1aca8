using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

public sealed partial class IvrCall
{
    private ITimer? _timer;
    private int _timerGeneration;
    private int _playGeneration;
    private int _waitGeneration;
    private bool _playing;

    private void StartPlayback(IReadOnlyList<PromptRef> prompts, bool bargeIn)
    {
        var generation = ++_playGeneration;
        _playing = true;
        Task task;
        try
        {
            task = _channel.PlayAsync(Flow.Language, [.. prompts.Select(p => p.Id)], bargeIn);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            task = Task.FromException(e);
        }
        if (task.IsCompleted)
        {
            PlaybackDone(task, generation);
            return;
        }
        task.ContinueWith(t =>
        {
            lock (_gate)
            {
                PlaybackDone(t, generation);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>A playback task ended; stale ones (stopped by barge-in, or from a node already left) are ignored.</summary>
    private void PlaybackDone(Task task, int generation)
    {
        if (generation != _playGeneration || IsEnded)
        {
            return;
        }
        _playing = false;
        if (task.IsCompletedSuccessfully)
        {
            _machine.Fire(IvrTrigger.PromptFinished);
        }
        else
        {
            _machine.Fire(_triggers.ChannelError, task.Exception?.InnerException?.Message ?? "playback cancelled");
        }
    }

    private void StopPlaybackIfPlaying()
    {
        if (!_playing)
        {
            return;
        }
        _playing = false;
        _playGeneration++;
        _channel.StopPlayback();
    }

    private void StartTimer(TimeSpan due)
    {
        CancelTimer();
        var generation = _timerGeneration;
        _timer = _time.CreateTimer(_ =>
        {
            lock (_gate)
            {
                if (generation == _timerGeneration && !IsEnded)
                {
                    CancelTimer();
                    _machine.Fire(IvrTrigger.Timeout);
                }
            }
        }, null, due, Timeout.InfiniteTimeSpan);
    }

    private void CancelTimer()
    {
        _timerGeneration++;
        _timer?.Dispose();
        _timer = null;
    }

    /// <summary>Turns a channel task's completion into a trigger, unless the call has moved on since.</summary>
    private void Observe<T>(Task<T> task, Action<T> onResult)
    {
        var generation = _waitGeneration;
        if (task.IsCompleted)
        {
            Complete(task, generation, onResult);
            return;
        }
        task.ContinueWith(t =>
        {
            lock (_gate)
            {
                Complete(t, generation, onResult);
            }
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Complete<T>(Task<T> task, int generation, Action<T> onResult)
    {
        if (generation != _waitGeneration || IsEnded)
        {
            return;
        }
        if (task.IsCompletedSuccessfully)
        {
            onResult(task.Result);
        }
        else
        {
            _machine.Fire(_triggers.ChannelError, task.Exception?.InnerException?.Message ?? "cancelled");
        }
    }
}
