namespace Telephony.Ivr.Conditions;

/// <summary><c>{ not: { ... } }</c>: the inner test does not hold.</summary>
public sealed record NotCondition(IvrCondition Inner) : IvrCondition
{
    public override bool Evaluate(ConditionContext context) => !Inner.Evaluate(context);

    public override string ToString() => "not(" + Inner + ")";
}
