using Telephony.Ivr.Model;

namespace Telephony.Ivr.Loading;

/// <summary>
/// Whole-tree checks after parsing: every target exists, menus and collects have timeout and invalid branches,
/// every node has an error path, every node is reachable, no loop runs without waiting for input, and every
/// prompt file exists under <c>sounds/&lt;language&gt;/</c>, and (when the trunks are known) every trunk a transfer names
/// is an outbound trunk of telephony.yaml.
/// </summary>
internal static class FlowValidator
{
    public static void Validate(LoadContext context, IReadOnlyList<IvrFlow> flows, string? soundsDirectory,
        IReadOnlyCollection<string>? outboundTrunks = null)
    {
        foreach (var flow in flows)
        {
            var before = context.Errors.Count;
            CheckTargets(context, flow);
            var graphComplete = context.Errors.Count == before && flow.BrokenNodeIds.Count == 0;
            CheckRequiredEvents(context, flow);
            if (graphComplete)
            {
                // With a broken node or a dangling target, "unreachable" would only repeat the first error.
                CheckReachable(context, flow);
            }
            CheckLoopsWithoutInput(context, flow);
            if (soundsDirectory is not null)
            {
                CheckPrompts(context, flow, soundsDirectory);
            }
            if (outboundTrunks is not null)
            {
                CheckTrunks(context, flow, outboundTrunks);
            }
            CheckSurvey(context, flow, flows);
        }
    }

    /// <summary>A flow's <c>survey</c> names another flow of the same file.</summary>
    private static void CheckSurvey(LoadContext context, IvrFlow flow, IReadOnlyList<IvrFlow> flows)
    {
        if (flow.Survey is not { } survey)
        {
            return;
        }
        var at = flow.SurveyLocation ?? flow.Location;
        if (survey == flow.Name)
        {
            context.Error(at, $"flow '{flow.Name}' names itself as its survey");
        }
        else if (!flows.Any(f => f.Name == survey))
        {
            context.Error(at, $"survey '{survey}' of flow '{flow.Name}' is not a flow of this file"
                + Suggestions.DidYouMean(survey, flows.Select(f => f.Name)));
        }
    }

    private static void CheckTarget(LoadContext context, IvrFlow flow, IvrTarget? target, string what)
    {
        if (target is null || flow.Nodes.ContainsKey(target.NodeId) || flow.BrokenNodeIds.Contains(target.NodeId))
        {
            return;
        }
        var hint = Suggestions.DidYouMean(target.NodeId, flow.Nodes.Keys);
        context.Error(target.Location, $"{what} goes to unknown node '{target.NodeId}'{hint}");
    }

    private static void CheckTargets(LoadContext context, IvrFlow flow)
    {
        CheckTarget(context, flow, flow.Start, $"'start' of flow '{flow.Name}'");
        CheckTarget(context, flow, flow.OnError, $"'on_error' of flow '{flow.Name}'");
        CheckTarget(context, flow, flow.Operator, $"'operator' of flow '{flow.Name}'");
        foreach (var node in flow.Nodes.Values)
        {
            foreach (var (name, target) in node.Events)
            {
                CheckTarget(context, flow, target, $"event '{name}' of node '{node.Id}'");
            }
        }
    }

    private static void CheckRequiredEvents(LoadContext context, IvrFlow flow)
    {
        foreach (var node in flow.Nodes.Values)
        {
            string[] required = node switch
            {
                PlayNode or CollectNode or SetNode or GotoNode => [IvrEvents.Done],
                ScheduleNode => [IvrEvents.Open, IvrEvents.Closed],
                ConditionNode => [IvrEvents.Else],
                _ => [],
            };
            if (node is MenuNode or CollectNode)
            {
                required = [.. required, IvrEvents.Timeout, IvrEvents.Invalid];
            }
            if (node is QueueNode { MaxWait: not null })
            {
                required = [IvrEvents.Overflow];
            }
            foreach (var name in required.Where(e => !node.Events.ContainsKey(e)))
            {
                var key = name == IvrEvents.Done ? (node is GotoNode ? "target" : "next") : name;
                var hint = key is "next" or "target" or "else" or "open" or "closed" or "overflow"
                    ? $"'{key}'"
                    : $"'events: {{ {key}: ... }}'";
                var kind = node.Kind.ToString().ToLowerInvariant();
                context.Error(node.Location, $"{kind} node '{node.Id}' has no '{name}' path: add {hint}");
            }
            if (node is not (HangupNode or GotoNode) && flow.TargetOf(node, IvrEvents.Error) is null)
            {
                context.Error(node.Location,
                    $"node '{node.Id}' has no error path: add 'events: {{ error: ... }}' or a tree-level 'on_error'");
            }
            if (node is MenuNode menu && flow.OperatorDigit is { } d && !menu.Options.Contains(d) && menu.OperatorDigit is null
                && flow.Operator is null)
            {
                context.Error(node.Location, $"menu '{node.Id}' has no target for the operator digit '{d}'");
            }
        }
    }

    /// <summary>The nodes a node can go to, including the tree-wide operator for menus and the error fallback.</summary>
    internal static IEnumerable<string> Successors(IvrFlow flow, IvrNode node)
    {
        foreach (var target in node.Events.Values)
        {
            yield return target.NodeId;
        }
        if (node is MenuNode && !node.Events.ContainsKey(IvrEvents.Operator) && flow.Operator is { } op)
        {
            yield return op.NodeId;
        }
        if (!node.Events.ContainsKey(IvrEvents.Error) && flow.OnError is { } error)
        {
            yield return error.NodeId;
        }
    }

    private static void CheckReachable(LoadContext context, IvrFlow flow)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>();
        pending.Push(flow.Start.NodeId);
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            if (!seen.Add(id) || !flow.Nodes.TryGetValue(id, out var node))
            {
                continue;
            }
            foreach (var next in Successors(flow, node))
            {
                pending.Push(next);
            }
        }
        foreach (var node in flow.Nodes.Values.Where(n => !seen.Contains(n.Id)))
        {
            context.Error(node.Location, $"node '{node.Id}' can never be reached from start '{flow.Start.NodeId}'");
        }
    }

    /// <summary>Cycles made only of nodes that neither wait for digits nor for the outside world spin forever.</summary>
    private static void CheckLoopsWithoutInput(LoadContext context, IvrFlow flow)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on stack, 2 = done
        var stack = new List<string>();
        var reported = new HashSet<string>(StringComparer.Ordinal);

        void Visit(IvrNode node)
        {
            state[node.Id] = 1;
            stack.Add(node.Id);
            foreach (var nextId in node.Events.Values.Select(t => t.NodeId).Distinct())
            {
                if (!flow.Nodes.TryGetValue(nextId, out var next) || next.TakesInput || next.Waits)
                {
                    continue;
                }
                if (state.GetValueOrDefault(nextId) == 1)
                {
                    var cycle = stack.Skip(stack.IndexOf(nextId)).Append(nextId).ToList();
                    if (reported.Add(nextId))
                    {
                        context.Error(next.Location, $"loop without input: {string.Join(" -> ", cycle)} never waits for the caller");
                    }
                }
                else if (state.GetValueOrDefault(nextId) == 0)
                {
                    Visit(next);
                }
            }
            stack.RemoveAt(stack.Count - 1);
            state[node.Id] = 2;
        }

        foreach (var node in flow.Nodes.Values.Where(n => !n.TakesInput && !n.Waits))
        {
            if (state.GetValueOrDefault(node.Id) == 0)
            {
                Visit(node);
            }
        }
    }

    private static void CheckTrunks(LoadContext context, IvrFlow flow, IReadOnlyCollection<string> outboundTrunks)
    {
        foreach (var transfer in flow.Nodes.Values.OfType<TransferNode>())
        {
            if (transfer.Trunk is not { } trunk || outboundTrunks.Contains(trunk, StringComparer.Ordinal))
            {
                continue;
            }
            var known = outboundTrunks.Count == 0 ? "none is configured" : "outbound trunks: " + string.Join(", ", outboundTrunks);
            context.Error(transfer.TrunkLocation ?? transfer.Location,
                $"transfer node '{transfer.Id}' names trunk '{trunk}', which is not an outbound trunk in telephony.yaml " +
                $"({known}){Suggestions.DidYouMean(trunk, outboundTrunks)}");
        }
    }

    private static void CheckPrompts(LoadContext context, IvrFlow flow, string soundsDirectory)
    {
        foreach (var node in flow.Nodes.Values)
        {
            foreach (var (prompt, location) in node.PromptReferences)
            {
                if (prompt.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(prompt) || prompt.Contains('\\'))
                {
                    context.Error(location, $"prompt id '{prompt}' must be a file name under sounds/{flow.Language}/ without '..'");
                    continue;
                }
                var file = Path.Combine(soundsDirectory, flow.Language, prompt + ".wav");
                if (!File.Exists(file))
                {
                    var shown = Path.Combine(Path.GetFileName(soundsDirectory.TrimEnd('/')), flow.Language, prompt + ".wav");
                    context.Error(location, $"missing prompt file {shown} for prompt '{prompt}'");
                }
            }
        }
    }
}
