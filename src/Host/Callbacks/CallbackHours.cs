using Telephony.Ivr.Model;
using Telephony.Ivr.Scheduling;

namespace Telephony.Host.Callbacks;

/// <summary>
/// Opening hours of callbacks: a queue's <c>callback.hours</c> names a <c>schedule</c> node of <c>config/ivr.yaml</c>
/// (the same hours callers hear), evaluated on the IVR's clock (<c>ivr.clock</c> shifts it in demos and tests) and turned
/// back into the server's time line.
/// </summary>
/// <param name="flows">The IVR trees in force (null while the IVR is off).</param>
public sealed class CallbackHours(Func<IvrFlowSet?> flows, TimeProvider ivrClock, TimeProvider time)
{
    /// <summary>How far ahead an opening is looked for.</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(21);

    /// <summary>The first instant at or after <paramref name="at"/> when schedule <paramref name="scheduleId"/> is open
    /// (minute resolution: opening hours are given in whole minutes); null when no such schedule exists or it never opens
    /// within <see cref="Horizon"/> (then callbacks are made at any time).</summary>
    public DateTimeOffset? NextOpening(string scheduleId, DateTimeOffset at)
    {
        if (flows()?.Flows.SelectMany(f => f.Nodes.Values).OfType<ScheduleNode>().FirstOrDefault(n => n.Id == scheduleId) is not { } schedule)
        {
            return null;
        }
        var shift = ivrClock.GetUtcNow() - time.GetUtcNow();
        var t = at + shift;
        if (schedule.Hours.Evaluate(t) == ScheduleState.Open)
        {
            return at;
        }
        var minute = new DateTimeOffset(t.UtcDateTime.Ticks - (t.UtcDateTime.Ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
        for (var probe = minute.AddMinutes(1); probe - t < Horizon; probe = probe.AddMinutes(1))
        {
            if (schedule.Hours.Evaluate(probe) == ScheduleState.Open)
            {
                return probe - shift;
            }
        }
        return null;
    }
}
