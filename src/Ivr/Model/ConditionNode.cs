using Telephony.Ivr.Conditions;

namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: condition</c>: the first branch whose <c>if</c> holds wins (event <c>match:N</c>); otherwise <c>else</c>.
/// </summary>
public sealed record ConditionNode : IvrNode
{
    public required IReadOnlyList<IvrCondition> Branches { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Condition;

    public override IReadOnlyCollection<string> AllowedEvents =>
        [.. Enumerable.Range(1, Branches.Count).Select(IvrEvents.Match), IvrEvents.Else, IvrEvents.Error];
}
