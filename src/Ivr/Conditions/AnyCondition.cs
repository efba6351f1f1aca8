namespace Telephony.Ivr.Conditions;

/// <summary><c>{ any: [ ... ] }</c>: at least one test holds.</summary>
public sealed record AnyCondition(IReadOnlyList<IvrCondition> Conditions) : IvrCondition
{
    public override bool Evaluate(ConditionContext context) => Conditions.Any(c => c.Evaluate(context));

    public override string ToString() => "any(" + string.Join(", ", Conditions) + ")";
}
