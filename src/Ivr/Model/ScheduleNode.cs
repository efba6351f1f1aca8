using Telephony.Ivr.Scheduling;

namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: schedule</c>: branches on business hours in a time zone: <c>open</c>, <c>closed</c>, or <c>holiday</c> (default:
/// closed).
/// </summary>
public sealed record ScheduleNode : IvrNode
{
    public required BusinessHours Hours { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Schedule;

    public override IReadOnlyCollection<string> AllowedEvents { get; } =
        [IvrEvents.Open, IvrEvents.Closed, IvrEvents.Holiday, IvrEvents.Error];
}
