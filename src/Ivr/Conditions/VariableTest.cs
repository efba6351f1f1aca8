using System.Globalization;
using System.Text.RegularExpressions;

namespace Telephony.Ivr.Conditions;

/// <summary><c>{ var: account, matches: "^9" }</c>: compares one variable (or caller data) with a value.</summary>
public sealed record VariableTest(string Variable, ComparisonOperator Operator, IReadOnlyList<string> Operands, Regex? Pattern)
    : IvrCondition
{
    public override bool Evaluate(ConditionContext context)
    {
        var value = context.Lookup(Variable);
        switch (Operator)
        {
            case ComparisonOperator.IsSet:
                return !string.IsNullOrEmpty(value) == (Operands[0] == "true");
            case ComparisonOperator.NotEquals:
                return value != Operands[0];
        }
        if (value is null)
        {
            return false;
        }
        return Operator switch
        {
            ComparisonOperator.Equals => value == Operands[0],
            ComparisonOperator.In => Operands.Contains(value),
            ComparisonOperator.InList => context.Lists.TryGetValue(Operands[0], out var list) && list.Contains(value),
            ComparisonOperator.Matches => Pattern!.IsMatch(value),
            ComparisonOperator.StartsWith => value.StartsWith(Operands[0], StringComparison.Ordinal),
            ComparisonOperator.AtLeast => TryNumber(value, out var a) && TryNumber(Operands[0], out var b) && a >= b,
            ComparisonOperator.AtMost => TryNumber(value, out var c) && TryNumber(Operands[0], out var d) && c <= d,
            _ => false,
        };
    }

    public override string ToString() => Operator switch
    {
        ComparisonOperator.In => $"{Variable} in [{string.Join(", ", Operands)}]",
        _ => $"{Variable} {OperatorName(Operator)} {Operands[0]}",
    };

    /// <summary>The YAML key of <paramref name="op"/> (snake_case).</summary>
    public static string OperatorName(ComparisonOperator op) => op switch
    {
        ComparisonOperator.Equals => "equals",
        ComparisonOperator.NotEquals => "not_equals",
        ComparisonOperator.In => "in",
        ComparisonOperator.InList => "in_list",
        ComparisonOperator.Matches => "matches",
        ComparisonOperator.StartsWith => "starts_with",
        ComparisonOperator.AtLeast => "at_least",
        ComparisonOperator.AtMost => "at_most",
        ComparisonOperator.IsSet => "is_set",
        _ => op.ToString(),
    };

    private static bool TryNumber(string text, out decimal number) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out number);
}
