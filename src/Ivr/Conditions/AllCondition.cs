namespace Telephony.Ivr.Conditions;

/// <summary><c>{ all: [ ... ] }</c>: every test holds.</summary>
public sealed record AllCondition(IReadOnlyList<IvrCondition> Conditions) : IvrCondition
{
    public override bool Evaluate(ConditionContext context) => Conditions.All(c => c.Evaluate(context));

    public override string ToString() => "all(" + string.Join(", ", Conditions) + ")";
}
