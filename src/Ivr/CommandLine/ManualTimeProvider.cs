namespace Telephony.Ivr.CommandLine;

/// <summary>A clock that only moves when told: the simulator jumps it to the next timer (a caller who says nothing).</summary>
internal sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly List<ManualTimer> _timers = [];
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward without firing timers (a caller waiting in a queue).</summary>
    public void Advance(TimeSpan by) => _now += by;

    /// <summary>Moves the clock to the earliest armed timer and fires it; false when no timer is armed.</summary>
    public bool AdvanceToNextTimer()
    {
        var next = _timers.Where(t => t.Due is not null).MinBy(t => t.Due);
        if (next is null)
        {
            return false;
        }
        _now = next.Due!.Value;
        next.Due = null;
        next.Fire();
        return true;
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner._now + dueTime;
            if (!owner._timers.Contains(this))
            {
                owner._timers.Add(this);
            }
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner._timers.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
