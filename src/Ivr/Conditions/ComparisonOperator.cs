namespace Telephony.Ivr.Conditions;

/// <summary>The operators of a variable test (YAML key next to <c>var:</c>).</summary>
public enum ComparisonOperator
{
    /// <summary><c>equals: "x"</c></summary>
    Equals,
    /// <summary><c>not_equals: "x"</c></summary>
    NotEquals,
    /// <summary><c>in: [a, b]</c>: one of the literal values.</summary>
    In,
    /// <summary><c>in_list: vip</c>: a member of a named list from <c>lists:</c>.</summary>
    InList,
    /// <summary><c>matches: "^9"</c>: .NET regular expression.</summary>
    Matches,
    /// <summary><c>starts_with: "+1"</c></summary>
    StartsWith,
    /// <summary><c>at_least: 5</c>: numeric comparison; false when the value is not a number.</summary>
    AtLeast,
    /// <summary><c>at_most: 5</c></summary>
    AtMost,
    /// <summary><c>is_set: true|false</c>: the variable has a non-empty value.</summary>
    IsSet,
}
