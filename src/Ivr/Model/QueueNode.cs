namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: queue</c>: hands the call to a named queue with a priority (default: the call's priority). After
/// <see cref="MaxWait"/> unanswered the queue reports overflow and the flow continues at <c>overflow</c>.
/// </summary>
public sealed record QueueNode : IvrNode
{
    public required string Queue { get; init; }
    public required SourceLocation QueueLocation { get; init; }
    public int? Priority { get; init; }
    public TimeSpan? MaxWait { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Queue;
    public override bool Waits => true;
    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Overflow, IvrEvents.Callback, IvrEvents.Error];
}
