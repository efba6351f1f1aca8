namespace Telephony.Ivr.Conditions;

/// <summary>A test in a <c>condition</c> node branch or an <c>on_end</c> handler's <c>when</c>.</summary>
public abstract record IvrCondition
{
    public abstract bool Evaluate(ConditionContext context);
}
