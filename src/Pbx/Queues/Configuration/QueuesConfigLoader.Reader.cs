using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Telephony.Pbx.Queues.Configuration;

public static partial class QueuesConfigLoader
{
    /// <summary>Walks the YAML tree, collecting errors with positions instead of stopping at the first.</summary>
    private sealed partial class Reader(string file)
    {
        public List<QueuesConfigError> Errors { get; } = [];
        private readonly Dictionary<string, YamlNode> _queueNodes = new(StringComparer.Ordinal);
        private readonly Dictionary<string, YamlNode> _overflowNodes = new(StringComparer.Ordinal);

        public void Error(Mark at, string message) =>
            Errors.Add(new QueuesConfigError(file, (int)at.Line, (int)at.Column, message));

        public void Error(YamlNode at, string message) => Error(at.Start, message);

        public QueuesConfig ReadRoot(YamlNode root)
        {
            if (root is not YamlMappingNode map)
            {
                Error(root, "the top level must be a mapping with 'queues:'");
                return QueuesConfig.Empty;
            }
            CheckKeys(map, RootKeys, "top level");
            var login = true;
            if (Get(map, "loginOnRegister") is { } l)
            {
                login = ReadBool(l, "loginOnRegister") ?? true;
            }
            var defaults = new QueueConfig { Name = "defaults" };
            if (Get(map, "defaults") is { } d)
            {
                if (d is YamlMappingNode dm)
                {
                    CheckKeys(dm, SettingKeys, "defaults");
                    defaults = ReadSettings(dm, defaults);
                }
                else
                {
                    Error(d, "'defaults' must be a mapping of queue settings");
                }
            }
            var queues = new List<QueueConfig>();
            if (Get(map, "queues") is not { } qn)
            {
                Error(map, "missing 'queues:' list");
            }
            else if (qn is not YamlSequenceNode seq)
            {
                Error(qn, "'queues' must be a list of queues");
            }
            else
            {
                foreach (var item in seq.Children)
                {
                    if (ReadQueue(item, defaults) is { } q)
                    {
                        queues.Add(q);
                    }
                }
            }
            return new QueuesConfig { Queues = queues, LoginOnRegister = login };
        }

        private QueueConfig? ReadQueue(YamlNode node, QueueConfig defaults)
        {
            if (node is not YamlMappingNode map)
            {
                Error(node, "each queue must be a mapping with at least 'name' and 'members'");
                return null;
            }
            CheckKeys(map, QueueKeys, "queue");
            var name = Get(map, "name") is { } n ? ReadString(n, "name") : null;
            if (string.IsNullOrWhiteSpace(name))
            {
                Error(map, "queue has no 'name'");
                return null;
            }
            if (!_queueNodes.TryAdd(name, map))
            {
                Error(Get(map, "name")!, $"queue '{name}' is defined twice (first at line {_queueNodes[name].Start.Line})");
            }
            var q = ReadSettings(map, defaults with { Name = name });
            var members = new List<QueueMemberConfig>();
            if (Get(map, "members") is { } mn)
            {
                if (mn is YamlSequenceNode ms)
                {
                    foreach (var m in ms.Children)
                    {
                        if (ReadMember(m, name, members) is { } member)
                        {
                            members.Add(member);
                        }
                    }
                }
                else
                {
                    Error(mn, $"queue '{name}': 'members' must be a list of extensions or {{agent, penalty}} mappings");
                }
            }
            if (Get(map, "overflow") is { } of)
            {
                _overflowNodes[name] = of;
            }
            return q with { Members = members };
        }

        private QueueMemberConfig? ReadMember(YamlNode node, string queue, List<QueueMemberConfig> sofar)
        {
            string? agent = null;
            var penalty = 0;
            if (node is YamlScalarNode s)
            {
                agent = s.Value;
            }
            else if (node is YamlMappingNode m)
            {
                CheckKeys(m, ["agent", "penalty"], "member");
                agent = Get(m, "agent") is { } a ? ReadString(a, "agent") : null;
                if (Get(m, "penalty") is { } p)
                {
                    penalty = ReadInt(p, "penalty", 0, 1000) ?? 0;
                }
            }
            if (string.IsNullOrWhiteSpace(agent))
            {
                Error(node, $"queue '{queue}': a member needs an agent extension");
                return null;
            }
            if (sofar.Any(x => x.Agent == agent))
            {
                Error(node, $"queue '{queue}': agent '{agent}' is listed twice");
                return null;
            }
            return new QueueMemberConfig(agent, penalty);
        }

        private QueueConfig ReadSettings(YamlMappingNode map, QueueConfig q)
        {
            if (Get(map, "strategy") is { } s && ReadString(s, "strategy") is { } sv)
            {
                if (ParseStrategy(sv) is { } st)
                {
                    q = q with { Strategy = st };
                }
                else
                {
                    Error(s, $"unknown strategy '{sv}' (expected longest-idle, round-robin or ring-all)");
                }
            }
            q = Seconds(map, "ringTimeoutSeconds", q, 1, (c, v) => c with { RingTimeout = v });
            q = Seconds(map, "wrapUpSeconds", q, 0, (c, v) => c with { WrapUp = v });
            q = Seconds(map, "maxWaitSeconds", q, 0, (c, v) => c with { MaxWait = v });
            q = Seconds(map, "announceIntervalSeconds", q, 0, (c, v) => c with { AnnounceInterval = v });
            q = Seconds(map, "noAnswerSkipSeconds", q, 0, (c, v) => c with { NoAnswerSkip = v });
            q = Seconds(map, "defaultHandleTimeSeconds", q, 1, (c, v) => c with { DefaultHandleTime = v });
            if (Get(map, "handleTimeWindow") is { } w && ReadInt(w, "handleTimeWindow", 1, 10_000) is { } wv)
            {
                q = q with { HandleTimeWindow = wv };
            }
            if (Get(map, "serviceLevelSeconds") is { } sl && ReadInt(sl, "serviceLevelSeconds", 0, 86_400) is { } slv)
            {
                q = q with { ServiceLevelSeconds = slv };
            }
            if (Get(map, "shortAbandonSeconds") is { } sa && ReadInt(sa, "shortAbandonSeconds", 0, 86_400) is { } sav)
            {
                q = q with { ShortAbandonSeconds = sav };
            }
            if (Get(map, "holdMusic") is { } h)
            {
                q = q with { HoldMusic = ReadString(h, "holdMusic") };
            }
            if (Get(map, "priorityAging") is { } pa)
            {
                q = q with { PriorityAging = ReadAging(pa, q.PriorityAging) };
            }
            if (Get(map, "overflow") is { } of && ReadOverflow(of) is { } ov)
            {
                q = q with { Overflow = ov };
            }
            if (Get(map, "callback") is { } cb)
            {
                q = q with { Callback = ReadCallback(cb, q.Callback) };
            }
            if (Get(map, "dispositions") is { } dn && ReadDispositions(dn) is { } codes)
            {
                q = q with { Dispositions = codes };
            }
            if (Get(map, "dispositionRequired") is { } dr && ReadBool(dr, "dispositionRequired") is { } required)
            {
                q = q with { DispositionRequired = required };
            }
            if (Get(map, "survey") is { } surveyNode)
            {
                var flow = ReadString(surveyNode, "survey");
                q = q with { Survey = string.IsNullOrWhiteSpace(flow) || flow == "none" ? null : flow };
            }
            return q;
        }

        /// <summary>A list of disposition codes: words of letters, digits, '-' and '_', each once, at most
        /// <see cref="MaxDispositions"/>.</summary>
        private List<string>? ReadDispositions(YamlNode node)
        {
            if (node is not YamlSequenceNode seq)
            {
                Error(node, "'dispositions' must be a list of codes, like [resolved, follow-up]");
                return null;
            }
            var codes = new List<string>();
            foreach (var item in seq.Children)
            {
                var code = ReadString(item, "dispositions");
                if (code is null)
                {
                    continue;
                }
                if (code.Length == 0 || code.Length > 40 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                {
                    Error(item, $"disposition code '{code}' may only use letters, digits, '-' and '_' (1-40 characters)");
                }
                else if (codes.Contains(code, StringComparer.Ordinal))
                {
                    Error(item, $"disposition code '{code}' is listed twice");
                }
                else
                {
                    codes.Add(code);
                }
            }
            if (codes.Count > MaxDispositions)
            {
                Error(node, $"at most {MaxDispositions} disposition codes per queue (the phone's keypad picks one with *5 and one digit)");
            }
            return codes;
        }

        private PriorityAging ReadAging(YamlNode node, PriorityAging current)
        {
            if (node is not YamlMappingNode m)
            {
                Error(node, "'priorityAging' must be a mapping {everySeconds, maxBoost}");
                return current;
            }
            CheckKeys(m, ["everySeconds", "maxBoost"], "priorityAging");
            var every = Get(m, "everySeconds") is { } e ? ReadInt(e, "everySeconds", 0, 86_400) : null;
            var max = Get(m, "maxBoost") is { } x ? ReadInt(x, "maxBoost", 0, 1_000_000) : null;
            return new PriorityAging(every is { } ev ? TimeSpan.FromSeconds(ev) : current.Every, max ?? current.MaxBoost);
        }

        private OverflowTarget? ReadOverflow(YamlNode node)
        {
            if (node is YamlScalarNode { Value: "hangup" })
            {
                return OverflowTarget.HangUp;
            }
            if (node is not YamlMappingNode m || m.Children.Count != 1)
            {
                Error(node, "'overflow' must be one of {queue: name}, {transfer: number}, {hangup: goodbye-prompt} or hangup");
                return null;
            }
            var (k, v) = m.Children.First();
            var key = (k as YamlScalarNode)?.Value;
            var value = v is YamlScalarNode sv && !string.IsNullOrEmpty(sv.Value) ? sv.Value : null;
            switch (key)
            {
                case "queue" when value is not null: return OverflowTarget.ToQueue(value);
                case "transfer" when value is not null: return OverflowTarget.TransferTo(value);
                case "hangup": return OverflowTarget.Goodbye(value);
                case "queue" or "transfer":
                    Error(k, $"overflow '{key}' needs a value");
                    return null;
                default:
                    Error(k, $"unknown overflow kind '{key}' (expected queue, transfer or hangup)");
                    return null;
            }
        }

        /// <summary>Checks references once all queues are known.</summary>
        public void Validate(QueuesConfig config)
        {
            if (config.Queues.Count == 0)
            {
                Errors.Add(new QueuesConfigError(file, 0, 0, "no queues are defined"));
            }
            foreach (var q in config.Queues)
            {
                var at = _overflowNodes.TryGetValue(q.Name, out var n) ? n : _queueNodes[q.Name];
                if (q.Overflow.Kind == OverflowKind.Queue)
                {
                    if (q.Overflow.Target == q.Name)
                    {
                        Error(at, $"queue '{q.Name}' overflows to itself");
                    }
                    else if (config.Find(q.Overflow.Target!) is null)
                    {
                        Error(at, $"queue '{q.Name}' overflows to unknown queue '{q.Overflow.Target}'");
                    }
                }
                if (q.Members.Count == 0)
                {
                    Error(_queueNodes[q.Name], $"queue '{q.Name}' has no members");
                }
                if (q.DispositionRequired && q.Dispositions.Count == 0)
                {
                    Error(_queueNodes[q.Name], $"queue '{q.Name}' requires a disposition but lists no 'dispositions'");
                }
            }
        }

        private QueueConfig Seconds(YamlMappingNode map, string key, QueueConfig q, int min, Func<QueueConfig, TimeSpan, QueueConfig> set) =>
            Get(map, key) is { } n && ReadInt(n, key, min, 7 * 86_400) is { } v ? set(q, TimeSpan.FromSeconds(v)) : q;

        private void CheckKeys(YamlMappingNode map, string[] allowed, string where)
        {
            foreach (var key in map.Children.Keys)
            {
                var name = (key as YamlScalarNode)?.Value;
                if (name is null || !allowed.Contains(name, StringComparer.Ordinal))
                {
                    Error(key, $"unknown key '{name}' in {where} (expected one of: {string.Join(", ", allowed)})");
                }
            }
        }

        private static YamlNode? Get(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

        private string? ReadString(YamlNode node, string key)
        {
            if (node is YamlScalarNode s)
            {
                return s.Value;
            }
            Error(node, $"'{key}' must be a single value");
            return null;
        }

        private int? ReadInt(YamlNode node, string key, int min, int max)
        {
            var s = ReadString(node, key);
            if (s is null)
            {
                return null;
            }
            if (!TryParseInt(s, out var v))
            {
                Error(node, $"'{key}' must be a whole number, not '{s}'");
                return null;
            }
            if (v < min || v > max)
            {
                Error(node, $"'{key}' must be between {min} and {max}, not {v}");
                return null;
            }
            return v;
        }

        private bool? ReadBool(YamlNode node, string key)
        {
            var s = ReadString(node, key);
            if (s is "true" or "yes" or "on")
            {
                return true;
            }
            if (s is "false" or "no" or "off")
            {
                return false;
            }
            if (s is not null)
            {
                Error(node, $"'{key}' must be true or false, not '{s}'");
            }
            return null;
        }
    }
}
