namespace Telephony.Ivr.Scheduling;

/// <summary>A half-open local time range [Start, End) within one day; End may be 24:00.</summary>
public readonly record struct TimeRange(TimeSpan Start, TimeSpan End)
{
    public bool Contains(TimeSpan timeOfDay) => timeOfDay >= Start && timeOfDay < End;

    public override string ToString() => $"{Start:hh\\:mm}-{(End.TotalHours >= 24 ? "24:00" : End.ToString("hh\\:mm"))}";
}
