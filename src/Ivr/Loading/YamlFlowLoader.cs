using System.Text.RegularExpressions;
using Telephony.Ivr.Model;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

/// <summary>
/// Reads <c>ivr.yaml</c> (the format is in src/Ivr/README.md and config/ivr.schema.json) into immutable
/// <see cref="IvrFlowSet"/> objects, then runs <see cref="FlowValidator"/>. Never throws on bad input: every
/// problem comes back as a <see cref="FlowError"/> with file, line and column.
/// </summary>
public static partial class YamlFlowLoader
{
    private static readonly string[] RootKeys = ["lists", "flows"];

    internal static readonly string[] FlowKeys =
        ["description", "numbers", "language", "start", "max_visits", "on_error", "operator", "on_end", "survey", "nodes"];

    private static readonly string[] OperatorKeys = ["digit", "next"];
    internal static readonly string[] HandlerKeys = ["when", "set", "tags", "log"];

    /// <summary>
    /// Loads and validates <paramref name="path"/>; prompt files are checked when <paramref name="soundsDirectory"/> is given,
    /// and the trunks that transfer nodes name when <paramref name="outboundTrunks"/> (the outbound trunks of
    /// telephony.yaml) is given.
    /// </summary>
    public static FlowLoadResult LoadFile(string path, string? soundsDirectory = null, int version = 1,
        DateTimeOffset? loadedAt = null, IReadOnlyCollection<string>? outboundTrunks = null)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FlowLoadResult(null, [new FlowError(path, 0, 0, "cannot read the file: " + e.Message)]);
        }
        return LoadText(text, path, soundsDirectory, version, loadedAt, outboundTrunks);
    }

    /// <summary>Loads and validates YAML text; <paramref name="fileName"/> is used in error locations.</summary>
    public static FlowLoadResult LoadText(string yaml, string fileName, string? soundsDirectory = null, int version = 1,
        DateTimeOffset? loadedAt = null, IReadOnlyCollection<string>? outboundTrunks = null)
    {
        var context = new LoadContext(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner ? inner.Message : e.Message;
            var line = (int)e.Start.Line;
            var column = (int)e.Start.Column;
            return new FlowLoadResult(null, [new FlowError(fileName, line, column, "YAML syntax: " + StripMark(message))]);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet 18 throws these (without a mark) on some malformed input instead of a YamlException.
            return new FlowLoadResult(null, [new FlowError(fileName, 1, 1, "YAML syntax: the parser gave up: " + e.Message)]);
        }
        if (stream.Documents.Count == 0)
        {
            return new FlowLoadResult(null, [new FlowError(fileName, 1, 1, "the file is empty: expected 'flows:'")]);
        }
        var flows = ReadRoot(context, stream.Documents[0].RootNode, version);
        if (flows is not null)
        {
            FlowValidator.Validate(context, flows, soundsDirectory, outboundTrunks);
        }
        var errors = context.Errors.OrderBy(e => e.Line).ThenBy(e => e.Column).ToList();
        if (errors.Count > 0 || flows is null)
        {
            return new FlowLoadResult(null, errors);
        }
        return new FlowLoadResult(new IvrFlowSet(fileName, flows, version, loadedAt ?? DateTimeOffset.UnixEpoch), errors);
    }

    private static string StripMark(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is reported separately.
        var index = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && index > 0 ? message[(index + 3)..] : message;
    }

    private static List<IvrFlow>? ReadRoot(LoadContext context, YamlNode root, int version)
    {
        var reader = MappingReader.Open(context, root, "the file", RootKeys);
        if (reader is null)
        {
            return null;
        }
        var lists = ReadLists(context, reader);
        if (reader.Required("flows") is not { } flowsNode)
        {
            return null;
        }
        if (flowsNode is not YamlMappingNode flowsMapping || flowsMapping.Children.Count == 0)
        {
            context.Error(flowsNode, "'flows' must map flow names to flows");
            return null;
        }
        var flows = new List<IvrFlow>();
        var numbers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (nameNode, flowNode) in flowsMapping.Children)
        {
            var name = (nameNode as YamlScalarNode)?.Value ?? "";
            if (ReadFlow(context, name, nameNode, flowNode, lists, version) is not { } flow)
            {
                continue;
            }
            foreach (var number in flow.Numbers)
            {
                if (!numbers.TryAdd(number, name))
                {
                    context.Error(flow.Location, $"number '{number}' is answered by both flow '{numbers[number]}' and flow '{name}'");
                }
            }
            flows.Add(flow);
        }
        return flows;
    }

    private static Dictionary<string, IReadOnlySet<string>> ReadLists(LoadContext context, MappingReader reader)
    {
        var lists = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (reader.Get("lists") is not { } node)
        {
            return lists;
        }
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, "'lists' must map list names to lists of values");
            return lists;
        }
        foreach (var (nameNode, valuesNode) in mapping.Children)
        {
            var name = (nameNode as YamlScalarNode)?.Value ?? "";
            var values = reader.ListOf(valuesNode, "lists." + name) ?? [];
            lists[name] = values.Select(v => v.Text).ToHashSet(StringComparer.Ordinal);
        }
        return lists;
    }

    private static IvrFlow? ReadFlow(LoadContext context, string name, YamlNode nameNode, YamlNode flowNode,
        IReadOnlyDictionary<string, IReadOnlySet<string>> lists, int version)
    {
        var reader = MappingReader.Open(context, flowNode, $"flow '{name}'", FlowKeys);
        if (reader is null)
        {
            return null;
        }
        var numbers = reader.List("numbers");
        if (numbers is null)
        {
            // An explicit empty list ("numbers: []") is a flow only the server starts, such as a post-call survey.
            context.Error(nameNode, $"flow '{name}' is missing 'numbers' (the dialed numbers it answers; [] for a flow the server "
                + "starts itself, such as a survey)");
        }
        var language = reader.String("language") ?? "en";
        var start = Target(context, reader, "start", required: true);
        var maxVisits = reader.Int("max_visits", 1, 1000) ?? 10;
        var onError = Target(context, reader, "on_error");
        char? operatorDigit = null;
        IvrTarget? operatorTarget = null;
        if (reader.Get("operator") is { } operatorNode)
        {
            (operatorDigit, operatorTarget) = ReadOperator(context, operatorNode, $"'operator' of flow '{name}'");
        }
        var handlers = ReadHandlers(context, reader, name, lists);
        var survey = reader.String("survey");
        var nodes = new Dictionary<string, IvrNode>(StringComparer.Ordinal);
        var broken = new HashSet<string>(StringComparer.Ordinal);
        if (reader.Required("nodes") is YamlMappingNode nodesMapping)
        {
            foreach (var (idNode, nodeNode) in nodesMapping.Children)
            {
                var id = (idNode as YamlScalarNode)?.Value ?? "";
                if (!NodeIdPattern().IsMatch(id))
                {
                    context.Error(idNode, $"node id '{id}' may only use letters, digits, '-', '_' and '.'");
                }
                if (ReadNode(context, id, idNode, nodeNode, lists) is { } node)
                {
                    nodes[id] = node;
                }
                else
                {
                    broken.Add(id);
                }
            }
        }
        else if (reader.Get("nodes") is { } bad)
        {
            context.Error(bad, $"'nodes' of flow '{name}' must map node ids to nodes");
        }
        if (start is null)
        {
            return null;
        }
        return new IvrFlow
        {
            Name = name,
            Location = context.At(nameNode),
            Numbers = numbers?.Select(n => n.Text).ToList() ?? [],
            Language = language,
            Start = start,
            MaxVisits = maxVisits,
            OnError = onError,
            OperatorDigit = operatorDigit,
            Operator = operatorTarget,
            EndHandlers = handlers,
            Survey = survey,
            SurveyLocation = reader.Get("survey") is { } surveyNode ? context.At(surveyNode) : null,
            Lists = lists,
            Nodes = nodes,
            BrokenNodeIds = broken,
            Version = version,
        };
    }

    private static (char? Digit, IvrTarget? Target) ReadOperator(LoadContext context, YamlNode node, string what)
    {
        var reader = MappingReader.Open(context, node, what, OperatorKeys);
        if (reader is null)
        {
            return (null, null);
        }
        var digitNode = reader.Required("digit");
        var digit = digitNode is null ? null : reader.DigitOf(digitNode, "digit");
        return (digit, Target(context, reader, "next", required: true));
    }

    private static List<EndHandler> ReadHandlers(LoadContext context, MappingReader flow, string name,
        IReadOnlyDictionary<string, IReadOnlySet<string>> lists)
    {
        var handlers = new List<EndHandler>();
        if (flow.Get("on_end") is not { } node)
        {
            return handlers;
        }
        if (node is not YamlSequenceNode sequence)
        {
            context.Error(node, $"'on_end' of flow '{name}' must be a list of handlers");
            return handlers;
        }
        foreach (var item in sequence.Children)
        {
            var reader = MappingReader.Open(context, item, $"an on_end handler of flow '{name}'", HandlerKeys);
            if (reader is null)
            {
                continue;
            }
            handlers.Add(new EndHandler
            {
                When = reader.Get("when") is { } when ? ReadCondition(context, when, lists) : null,
                Variables = reader.StringMap("set") ?? new Dictionary<string, string>(),
                Tags = reader.List("tags")?.Select(t => t.Text).ToList() ?? [],
                Log = reader.String("log"),
                Location = context.At(item),
            });
        }
        return handlers;
    }

    internal static IvrTarget? Target(LoadContext context, MappingReader reader, string key, bool required = false)
    {
        var value = required ? reader.Required(key) : reader.Get(key);
        if (value is null || reader.Scalar(value, key) is not { } text)
        {
            return null;
        }
        return new IvrTarget(text, context.At(value));
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex NodeIdPattern();
}
