namespace Telephony.Ivr.Scheduling;

/// <summary>
/// Weekly opening hours and holidays in an IANA time zone. An instant is converted to the zone's local wall time
/// with <see cref="TimeZoneInfo"/> (which follows DST rules), so "08:00-18:00" means local office hours all year.
/// </summary>
public sealed class BusinessHours
{
    private readonly IReadOnlyList<TimeRange>[] _weekly;

    public BusinessHours(TimeZoneInfo timeZone, IReadOnlyDictionary<DayOfWeek, IReadOnlyList<TimeRange>> weekly,
        IReadOnlyList<Holiday> holidays)
    {
        TimeZone = timeZone;
        Holidays = holidays;
        _weekly = new IReadOnlyList<TimeRange>[7];
        for (var day = 0; day < 7; day++)
        {
            _weekly[day] = weekly.TryGetValue((DayOfWeek)day, out var ranges) ? ranges : [];
        }
    }

    public TimeZoneInfo TimeZone { get; }
    public IReadOnlyList<Holiday> Holidays { get; }

    /// <summary>The opening ranges of <paramref name="day"/>.</summary>
    public IReadOnlyList<TimeRange> RangesOf(DayOfWeek day) => _weekly[(int)day];

    /// <summary>Open, closed or holiday at <paramref name="instant"/>.</summary>
    public ScheduleState Evaluate(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, TimeZone);
        var date = DateOnly.FromDateTime(local.DateTime);
        if (Holidays.Any(h => h.Matches(date)))
        {
            return ScheduleState.Holiday;
        }
        var timeOfDay = local.TimeOfDay;
        return _weekly[(int)local.DayOfWeek].Any(r => r.Contains(timeOfDay)) ? ScheduleState.Open : ScheduleState.Closed;
    }
}
