namespace Telephony.Ivr.Scheduling;

/// <summary>What a <see cref="BusinessHours"/> says about an instant.</summary>
public enum ScheduleState
{
    Open,
    Closed,
    Holiday,
}
