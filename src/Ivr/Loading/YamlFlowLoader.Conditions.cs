using System.Globalization;
using Telephony.Ivr.Conditions;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

public static partial class YamlFlowLoader
{
    private static readonly string[] ConditionKeys =
        ["var", "all", "any", "not", "equals", "not_equals", "in", "in_list", "matches", "starts_with", "at_least", "at_most", "is_set"];

    private static readonly Dictionary<string, ComparisonOperator> Operators = new(StringComparer.Ordinal)
    {
        ["equals"] = ComparisonOperator.Equals,
        ["not_equals"] = ComparisonOperator.NotEquals,
        ["in"] = ComparisonOperator.In,
        ["in_list"] = ComparisonOperator.InList,
        ["matches"] = ComparisonOperator.Matches,
        ["starts_with"] = ComparisonOperator.StartsWith,
        ["at_least"] = ComparisonOperator.AtLeast,
        ["at_most"] = ComparisonOperator.AtMost,
        ["is_set"] = ComparisonOperator.IsSet,
    };

    /// <summary>
    /// <c>{ var: caller, in_list: vip }</c>, <c>{ all: [...] }</c>, <c>{ any: [...] }</c>, <c>{ not: {...} }</c>.
    /// </summary>
    internal static IvrCondition? ReadCondition(LoadContext context, YamlNode node,
        IReadOnlyDictionary<string, IReadOnlySet<string>> lists)
    {
        var reader = MappingReader.Open(context, node, "a condition", ConditionKeys);
        if (reader is null)
        {
            return null;
        }
        if (reader.Get("all") is { } all)
        {
            return ReadConditionList(context, all, lists, "all") is { } conditions ? new AllCondition(conditions) : null;
        }
        if (reader.Get("any") is { } any)
        {
            return ReadConditionList(context, any, lists, "any") is { } conditions ? new AnyCondition(conditions) : null;
        }
        if (reader.Get("not") is { } not)
        {
            return ReadCondition(context, not, lists) is { } inner ? new NotCondition(inner) : null;
        }
        var variable = reader.String("var");
        var ops = Operators.Keys.Where(reader.Has).ToList();
        if (variable is null || ops.Count != 1)
        {
            context.Error(node, "a condition needs 'var' and exactly one test (equals, not_equals, in, in_list, matches, "
                + "starts_with, at_least, at_most, is_set), or all / any / not");
            return null;
        }
        var op = Operators[ops[0]];
        var operandNode = reader.Get(ops[0])!;
        var operands = op == ComparisonOperator.In
            ? reader.ListOf(operandNode, "in")?.Select(o => o.Text).ToList()
            : reader.Scalar(operandNode, ops[0]) is { } text ? [text] : null;
        if (operands is null)
        {
            return null;
        }
        switch (op)
        {
            case ComparisonOperator.InList when !lists.ContainsKey(operands[0]):
                context.Error(operandNode,
                    $"unknown list '{operands[0]}'{Suggestions.DidYouMean(operands[0], lists.Keys)}; lists are declared under 'lists:'");
                return null;
            case ComparisonOperator.IsSet when operands[0] is not ("true" or "false"):
                context.Error(operandNode, "'is_set' must be true or false");
                return null;
            case ComparisonOperator.AtLeast or ComparisonOperator.AtMost
                when !decimal.TryParse(operands[0], NumberStyles.Number, CultureInfo.InvariantCulture, out _):
                context.Error(operandNode, $"'{ops[0]}' needs a number, not '{operands[0]}'");
                return null;
        }
        var pattern = op == ComparisonOperator.Matches ? CompileRegex(context, operandNode, operands[0], "a condition") : null;
        if (op == ComparisonOperator.Matches && pattern is null)
        {
            return null;
        }
        return new VariableTest(variable, op, operands, pattern);
    }

    private static List<IvrCondition>? ReadConditionList(LoadContext context, YamlNode node,
        IReadOnlyDictionary<string, IReadOnlySet<string>> lists, string key)
    {
        if (node is not YamlSequenceNode sequence || sequence.Children.Count == 0)
        {
            context.Error(node, $"'{key}' must be a list of conditions");
            return null;
        }
        var conditions = new List<IvrCondition>();
        foreach (var child in sequence.Children)
        {
            if (ReadCondition(context, child, lists) is not { } condition)
            {
                return null;
            }
            conditions.Add(condition);
        }
        return conditions;
    }
}
