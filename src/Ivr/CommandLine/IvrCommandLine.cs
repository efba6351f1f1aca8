using System.Globalization;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.CommandLine;

/// <summary>
/// The offline IVR tools: <c>validate &lt;file&gt; [--sounds DIR]</c>, <c>simulate &lt;file&gt; --number N
/// [--caller NUM] [--digits "2,1234#"] [--at ISO-8601] [--queue answered|overflow|rejected]
/// [--transfer connected|failed] [--hangup-at NODE] [--message SECONDS] [--sounds DIR]</c> (or <c>--flow NAME</c> for a
/// flow without numbers, such as a survey) and <c>graph &lt;file&gt; [--flow NAME] [--format mermaid|dot]</c> (Mermaid or
/// Graphviz dot). Exit codes: 0 ok, 1 invalid tree, 2 usage error.
/// </summary>
public static class IvrCommandLine
{
    public const string Usage = """
        usage: ivr validate <file> [--sounds DIR]
               ivr simulate <file> --number N|--flow NAME [--caller NUM] [--digits "2,1234#"] [--at 2026-11-23T10:00:00+01:00]
                            [--queue answered|overflow|rejected] [--transfer connected|failed] [--hangup-at NODE]
                            [--message SECONDS] [--sounds DIR]
               ivr graph <file> [--flow NAME] [--format mermaid|dot]
        """;

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length < 2 || args[0] is not ("validate" or "simulate" or "graph"))
        {
            stderr.WriteLine(Usage);
            return 2;
        }
        var file = args[1];
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                stderr.WriteLine($"ivr: unexpected argument '{args[i]}'");
                stderr.WriteLine(Usage);
                return 2;
            }
            options[args[i][2..]] = args[++i];
        }
        string[] allowed = args[0] switch
        {
            "validate" => ["sounds"],
            "simulate" => ["sounds", "number", "flow", "caller", "digits", "at", "queue", "transfer", "hangup-at", "message"],
            _ => ["flow", "format"],
        };
        if (options.Keys.FirstOrDefault(k => !allowed.Contains(k)) is { } unknown)
        {
            stderr.WriteLine($"ivr {args[0]}: unknown option --{unknown}{Suggestions.DidYouMean(unknown, allowed)}");
            return 2;
        }
        var result = YamlFlowLoader.LoadFile(file, options.GetValueOrDefault("sounds"));
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                stderr.WriteLine(error);
            }
            stderr.WriteLine($"{file}: {result.Errors.Count} error(s); the tree is refused");
            return 1;
        }
        var flows = result.Flows!;
        switch (args[0])
        {
            case "validate":
                foreach (var flow in flows.Flows)
                {
                    stdout.WriteLine($"{file}: flow '{flow.Name}' answers {string.Join(", ", flow.Numbers)}: {flow.Nodes.Count} nodes OK");
                }
                return 0;
            case "graph":
                var selected = options.TryGetValue("flow", out var name) ? flows.FindByName(name) : flows.Flows[0];
                if (selected is null)
                {
                    stderr.WriteLine($"ivr graph: no flow named '{name}'");
                    return 2;
                }
                switch (options.GetValueOrDefault("format", "mermaid"))
                {
                    case "mermaid":
                        stdout.Write(IvrFlowGraph.ToMermaid(selected));
                        return 0;
                    case "dot":
                        stdout.Write(IvrFlowGraph.ToDot(selected));
                        return 0;
                    default:
                        stderr.WriteLine("ivr graph: --format must be mermaid or dot");
                        return 2;
                }
            default:
                return Simulate(flows, options, stdout, stderr);
        }
    }

    private static int Simulate(Model.IvrFlowSet flows, Dictionary<string, string> options, TextWriter stdout, TextWriter stderr)
    {
        Model.IvrFlow? flow;
        string number;
        if (options.TryGetValue("flow", out var flowName))
        {
            flow = flows.FindByName(flowName);
            number = options.GetValueOrDefault("number") ?? "";
            if (flow is null)
            {
                stderr.WriteLine($"ivr simulate: no flow named '{flowName}'");
                return 2;
            }
        }
        else if (!options.TryGetValue("number", out number!))
        {
            stderr.WriteLine("ivr simulate: --number is required (the dialed number), or --flow NAME");
            return 2;
        }
        else if ((flow = flows.FindByNumber(number)) is null)
        {
            stderr.WriteLine($"ivr simulate: no flow answers {number}");
            return 2;
        }
        var message = 8.0;
        if (options.TryGetValue("message", out var messageText)
            && (!double.TryParse(messageText, NumberStyles.Float, CultureInfo.InvariantCulture, out message) || message < 0 || message > 3600))
        {
            stderr.WriteLine($"ivr simulate: --message must be the seconds a caller speaks into voicemail (0 = nothing), not '{messageText}'");
            return 2;
        }
        var at = DateTimeOffset.UtcNow;
        if (options.TryGetValue("at", out var atText)
            && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            stderr.WriteLine($"ivr simulate: --at '{atText}' is not a date and time like 2026-11-23T10:00:00+01:00");
            return 2;
        }
        if (!TryEnum(options, "queue", IvrQueueOutcome.Answered, out var queue, stderr)
            || !TryEnum(options, "transfer", IvrTransferOutcome.Connected, out var transfer, stderr))
        {
            return 2;
        }
        if (options.TryGetValue("digits", out var digits) && digits.Any(c => c != ',' && !MappingReader.IsDtmf(c)))
        {
            stderr.WriteLine($"ivr simulate: --digits may only hold 0-9, *, # and commas, not '{digits}'");
            return 2;
        }
        new IvrSimulator
        {
            Flow = flow,
            Called = number,
            Caller = options.GetValueOrDefault("caller") ?? "anonymous",
            At = at,
            Digits = digits,
            QueueOutcome = queue,
            TransferOutcome = transfer,
            HangupAt = options.GetValueOrDefault("hangup-at"),
            MessageLength = TimeSpan.FromSeconds(message),
        }.Run(stdout);
        return 0;
    }

    private static bool TryEnum<T>(Dictionary<string, string> options, string key, T fallback, out T value, TextWriter stderr)
        where T : struct, Enum
    {
        value = fallback;
        if (!options.TryGetValue(key, out var text))
        {
            return true;
        }
        if (Enum.TryParse(text, ignoreCase: true, out value) && !int.TryParse(text, out _))
        {
            return true;
        }
        stderr.WriteLine($"ivr simulate: --{key} must be one of {string.Join(", ", Enum.GetNames<T>().Select(n => n.ToLowerInvariant()))}");
        return false;
    }
}
