using System.Text.RegularExpressions;
using Telephony.Ivr.Conditions;
using Telephony.Ivr.Model;
using Telephony.Ivr.Scheduling;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

public static partial class YamlFlowLoader
{
    internal static readonly string[] CommonKeys = ["type", "description", "events", "max_visits"];

    internal static readonly Dictionary<string, string[]> KeysByType = new(StringComparer.Ordinal)
    {
        ["play"] = ["prompt", "barge_in", "next"],
        ["menu"] = ["prompt", "options", "operator", "invalid_prompt", "no_input_prompt", "timeout", "retries"],
        ["collect"] = ["prompt", "variable", "min_length", "max_length", "terminator", "timeout", "digit_timeout",
            "pattern", "retries", "invalid_prompt", "no_input_prompt", "next"],
        ["schedule"] = ["time_zone", "hours", "holidays", "open", "closed", "holiday"],
        ["condition"] = ["branches", "else"],
        ["set"] = ["variables", "priority", "tags", "next"],
        ["queue"] = ["queue", "priority", "max_wait", "overflow", "callback"],
        ["transfer"] = ["to", "trunk", "failed"],
        ["goto"] = ["target"],
        ["hangup"] = ["prompt"],
        ["callback"] = ["queue", "priority", "next", "failed"],
        ["voicemail"] = ["mailbox", "prompt", "beep", "max_length", "silence", "finish_key", "review", "review_prompt",
            "review_timeout", "saved_prompt", "empty_prompt", "max_attempts", "next"],
    };

    /// <summary>Keys that are shorthands for an event in <c>events:</c>.</summary>
    private static readonly Dictionary<string, string> ShorthandEvents = new(StringComparer.Ordinal)
    {
        ["next"] = IvrEvents.Done,
        ["target"] = IvrEvents.Done,
        ["open"] = IvrEvents.Open,
        ["closed"] = IvrEvents.Closed,
        ["holiday"] = IvrEvents.Holiday,
        ["overflow"] = IvrEvents.Overflow,
        ["failed"] = IvrEvents.Failed,
        ["else"] = IvrEvents.Else,
        ["callback"] = IvrEvents.Callback,
    };

    private static IvrNode? ReadNode(LoadContext context, string id, YamlNode idNode, YamlNode node,
        IReadOnlyDictionary<string, IReadOnlySet<string>> lists)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"node '{id}' must be a mapping with a 'type'");
            return null;
        }
        var typeEntry = mapping.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: "type" });
        if (typeEntry.Value is not YamlScalarNode { Value: { } type })
        {
            context.Error(idNode, $"node '{id}' is missing 'type' (one of {string.Join(", ", KeysByType.Keys)})");
            return null;
        }
        if (!KeysByType.TryGetValue(type, out var keys))
        {
            context.Error(typeEntry.Value, $"unknown node type '{type}' in node '{id}'{Suggestions.DidYouMean(type, KeysByType.Keys)}"
                + $"; expected one of {string.Join(", ", KeysByType.Keys)}");
            return null;
        }
        var reader = MappingReader.Open(context, node, $"{type} node '{id}'", [.. CommonKeys, .. keys]);
        if (reader is null)
        {
            return null;
        }
        var events = new Dictionary<string, IvrTarget>(StringComparer.Ordinal);
        foreach (var key in keys.Where(ShorthandEvents.ContainsKey))
        {
            if (Target(context, reader, key) is { } target)
            {
                events[ShorthandEvents[key]] = target;
            }
        }
        var errorsBefore = context.Errors.Count;
        IvrNode? built = type switch
        {
            "play" => ReadPlay(context, reader, id, idNode, events),
            "menu" => ReadMenu(context, reader, id, idNode, events),
            "collect" => ReadCollect(context, reader, id, idNode, events),
            "schedule" => ReadSchedule(context, reader, id, idNode, events),
            "condition" => ReadConditionNode(context, reader, id, idNode, events, lists),
            "set" => ReadSet(context, reader, id, idNode, events),
            "queue" => ReadQueue(context, reader, id, idNode, events),
            "transfer" => ReadTransfer(context, reader, id, idNode, events),
            "goto" => ReadGoto(context, reader, id, idNode, events),
            "callback" => ReadCallback(context, reader, id, idNode, events),
            "voicemail" => ReadVoicemail(context, reader, id, context.At(idNode), events),
            _ => ReadHangup(context, reader, id, idNode, events),
        };
        if (built is null || context.Errors.Count > errorsBefore)
        {
            return null;
        }
        built = built with { MaxVisits = reader.Int("max_visits", 1, 1000) };
        ReadOnBlock(context, reader, built, events);
        return built;
    }

    private static void ReadOnBlock(LoadContext context, MappingReader reader, IvrNode node, Dictionary<string, IvrTarget> events)
    {
        if (reader.Get("events") is not { } on)
        {
            return;
        }
        if (on is not YamlMappingNode mapping)
        {
            context.Error(on, $"'events' of node '{node.Id}' must map event names to node ids");
            return;
        }
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (!node.AllowedEvents.Contains(name))
            {
                var allowed = node.AllowedEvents.Where(e => !e.Contains(':'));
                context.Error(keyNode, $"unknown event '{name}' for {node.Kind.ToString().ToLowerInvariant()} node '{node.Id}'"
                    + $"{Suggestions.DidYouMean(name, allowed)}; it can raise {string.Join(", ", allowed)}");
                continue;
            }
            if (events.ContainsKey(name))
            {
                context.Error(keyNode, $"event '{name}' of node '{node.Id}' is given twice");
                continue;
            }
            if (reader.Scalar(valueNode, "events." + name) is { } target)
            {
                events[name] = new IvrTarget(target, context.At(valueNode));
            }
        }
    }

    private static List<PromptRef> Prompts(LoadContext context, MappingReader reader, string key) =>
        reader.List(key)?.Select(p => new PromptRef(p.Text, context.At(p.Node))).ToList() ?? [];

    private static PlayNode? ReadPlay(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        reader.Required("prompt");
        return new PlayNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            Prompts = Prompts(context, reader, "prompt"),
            BargeIn = reader.Bool("barge_in") ?? false,
        };
    }

    private static MenuNode? ReadMenu(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        reader.Required("prompt");
        var options = new List<char>();
        if (reader.Required("options") is YamlMappingNode optionsNode)
        {
            foreach (var (digitNode, targetNode) in optionsNode.Children)
            {
                if (reader.DigitOf(digitNode, "options") is not { } digit)
                {
                    continue;
                }
                if (options.Contains(digit))
                {
                    context.Error(digitNode, $"digit '{digit}' appears twice in the options of menu '{id}'");
                    continue;
                }
                options.Add(digit);
                if (reader.Scalar(targetNode, "options." + digit) is { } target)
                {
                    events[IvrEvents.Digit(digit)] = new IvrTarget(target, context.At(targetNode));
                }
            }
        }
        else if (reader.Get("options") is { } bad)
        {
            context.Error(bad, $"'options' of menu '{id}' must map digits to node ids, like \"1\": sales");
        }
        char? operatorDigit = null;
        if (reader.Get("operator") is { } operatorNode)
        {
            (operatorDigit, var operatorTarget) = ReadOperator(context, operatorNode, $"'operator' of menu '{id}'");
            if (operatorTarget is not null)
            {
                events[IvrEvents.Operator] = operatorTarget;
            }
            if (operatorDigit is { } d && options.Contains(d))
            {
                context.Error(operatorNode, $"operator digit '{d}' of menu '{id}' is also one of its options");
            }
        }
        return new MenuNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            Prompts = Prompts(context, reader, "prompt"),
            InvalidPrompts = Prompts(context, reader, "invalid_prompt"),
            NoInputPrompts = Prompts(context, reader, "no_input_prompt"),
            Options = options,
            OperatorDigit = operatorDigit,
            Timeout = reader.Duration("timeout") ?? TimeSpan.FromSeconds(5),
            Retries = reader.Int("retries", 0, 10) ?? 2,
        };
    }

    private static CollectNode? ReadCollect(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        reader.Required("prompt");
        var variable = reader.String("variable", required: true);
        var min = reader.Int("min_length", 1, 64) ?? 1;
        var max = reader.Int("max_length", 1, 64) ?? 20;
        if (min > max && reader.Get("min_length") is { } minNode)
        {
            context.Error(minNode, $"min_length {min} of collect '{id}' is greater than max_length {max}");
        }
        char? terminator = '#';
        if (reader.Get("terminator") is { } terminatorNode)
        {
            terminator = reader.Scalar(terminatorNode, "terminator") is "none" ? null : reader.DigitOf(terminatorNode, "terminator");
        }
        Regex? pattern = null;
        if (reader.Get("pattern") is { } patternNode && reader.Scalar(patternNode, "pattern") is { } patternText)
        {
            pattern = CompileRegex(context, patternNode, patternText, $"pattern of collect '{id}'");
        }
        if (variable is null)
        {
            return null;
        }
        return new CollectNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            Variable = variable,
            Prompts = Prompts(context, reader, "prompt"),
            InvalidPrompts = Prompts(context, reader, "invalid_prompt"),
            NoInputPrompts = Prompts(context, reader, "no_input_prompt"),
            MinLength = min,
            MaxLength = max,
            Terminator = terminator,
            Timeout = reader.Duration("timeout") ?? TimeSpan.FromSeconds(5),
            DigitTimeout = reader.Duration("digit_timeout") ?? TimeSpan.FromSeconds(3),
            Pattern = pattern,
            Retries = reader.Int("retries", 0, 10) ?? 2,
        };
    }

    internal static Regex? CompileRegex(LoadContext context, YamlNode node, string pattern, string what)
    {
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
        catch (ArgumentException e)
        {
            context.Error(node, $"bad regular expression in {what}: {e.Message}");
            return null;
        }
    }

    private static ScheduleNode? ReadSchedule(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        var zoneNode = reader.Required("time_zone");
        TimeZoneInfo? zone = null;
        if (zoneNode is not null && reader.Scalar(zoneNode, "time_zone") is { } zoneId)
        {
            zone = ScheduleText.FindTimeZone(zoneId);
            if (zone is null)
            {
                context.Error(zoneNode, $"unknown time zone '{zoneId}' in schedule '{id}' (use an IANA name like Europe/Berlin)");
            }
        }
        var weekly = reader.Required("hours") is { } hoursNode ? ScheduleText.ReadWeekly(context, hoursNode, id) : null;
        var holidays = reader.Get("holidays") is { } holidaysNode ? ScheduleText.ReadHolidays(context, reader, holidaysNode, id) : [];
        if (zone is null || weekly is null)
        {
            return null;
        }
        return new ScheduleNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            Hours = new BusinessHours(zone, weekly, holidays),
        };
    }

    private static ConditionNode? ReadConditionNode(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events, IReadOnlyDictionary<string, IReadOnlySet<string>> lists)
    {
        var branches = new List<IvrCondition>();
        var branchesNode = reader.Required("branches");
        if (branchesNode is not YamlSequenceNode sequence)
        {
            if (branchesNode is not null)
            {
                context.Error(branchesNode, $"'branches' of condition '{id}' must be a list of {{ if: ..., next: ... }}");
            }
            return null;
        }
        foreach (var item in sequence.Children)
        {
            var branch = MappingReader.Open(context, item, $"a branch of condition '{id}'", ["if", "next"]);
            if (branch is null)
            {
                continue;
            }
            var test = branch.Required("if") is { } ifNode ? ReadCondition(context, ifNode, lists) : null;
            var target = Target(context, branch, "next", required: true);
            if (test is not null && target is not null)
            {
                branches.Add(test);
                events[IvrEvents.Match(branches.Count)] = target;
            }
        }
        return new ConditionNode { Id = id, Location = context.At(idNode), Events = events, Branches = branches };
    }

    private static SetNode ReadSet(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events) =>
        new()
        {
            Id = id, Location = context.At(idNode), Events = events,
            Variables = reader.StringMap("variables") ?? new Dictionary<string, string>(),
            Priority = reader.Int("priority", 0, 1000),
            Tags = reader.List("tags")?.Select(t => t.Text).ToList() ?? [],
        };

    private static QueueNode? ReadQueue(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        var queueNode = reader.Required("queue");
        var queue = queueNode is null ? null : reader.Scalar(queueNode, "queue");
        if (queue is null)
        {
            return null;
        }
        return new QueueNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            Queue = queue,
            QueueLocation = context.At(queueNode!),
            Priority = reader.Int("priority", 0, 1000),
            MaxWait = reader.Duration("max_wait"),
        };
    }

    private static TransferNode? ReadTransfer(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        var to = reader.String("to", required: true);
        return to is null ? null : new TransferNode
        {
            Id = id, Location = context.At(idNode), Events = events,
            To = to,
            Trunk = reader.String("trunk"),
            TrunkLocation = reader.Get("trunk") is { } trunkNode ? context.At(trunkNode) : null,
        };
    }

    private static GotoNode? ReadGoto(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        reader.Required("target");
        return new GotoNode { Id = id, Location = context.At(idNode), Events = events };
    }

    private static HangupNode ReadHangup(LoadContext context, MappingReader reader, string id, YamlNode idNode,
        Dictionary<string, IvrTarget> events)
    {
        var prompt = reader.Get("prompt") is { } p && reader.Scalar(p, "prompt") is { } text ? new PromptRef(text, context.At(p)) : null;
        return new HangupNode { Id = id, Location = context.At(idNode), Events = events, Prompt = prompt };
    }
}
