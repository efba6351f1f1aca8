namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: callback</c>: offers the caller a callback from <see cref="Queue"/>'s line (the queue's <c>callback:</c>
/// option in queues.yaml): the caller confirms their number or keys another ended by #, and the callback takes its place
/// in the queue's line (arrival = now, priority = the node's or the call's). Events: <c>done</c> (booked: say goodbye),
/// <c>failed</c> (no number confirmed, or the queue refused it), <c>error</c>.
/// </summary>
public sealed record CallbackNode : IvrNode
{
    public required string Queue { get; init; }
    public required SourceLocation QueueLocation { get; init; }
    public int? Priority { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Callback;
    public override bool TakesInput => true;
    public override bool Waits => true;
    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Done, IvrEvents.Failed, IvrEvents.Error];
}
