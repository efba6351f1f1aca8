namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: set</c>: sets variables, the call's priority and tags (they travel with the interaction to the agent).
/// </summary>
public sealed record SetNode : IvrNode
{
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    public int? Priority { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public override IvrNodeKind Kind => IvrNodeKind.Set;
    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Done, IvrEvents.Error];
}
