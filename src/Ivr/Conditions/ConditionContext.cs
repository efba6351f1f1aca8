namespace Telephony.Ivr.Conditions;

/// <summary>What a condition can look at: variables (including built-ins like <c>caller</c>) and the named lists.</summary>
public sealed record ConditionContext(
    Func<string, string?> Lookup,
    IReadOnlyDictionary<string, IReadOnlySet<string>> Lists);
