namespace Telephony.Ivr.Scheduling;

/// <summary>A closed day: a fixed date (2026-12-24) or a date every year (12-25, <see cref="Year"/> null).</summary>
public readonly record struct Holiday(int? Year, int Month, int Day)
{
    public bool Matches(DateOnly date) => date.Month == Month && date.Day == Day && (Year is null || Year == date.Year);

    public override string ToString() => Year is int y ? $"{y:D4}-{Month:D2}-{Day:D2}" : $"{Month:D2}-{Day:D2}";
}
