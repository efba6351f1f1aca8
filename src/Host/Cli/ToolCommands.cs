using System.CommandLine;
using Telephony.Host.Security;
using Telephony.Ivr.CommandLine;

namespace Telephony.Host.Cli;

/// <summary>
/// The offline tools: <c>ivr validate|simulate|graph</c> (handed to <see cref="IvrCommandLine"/>, whose output and exit
/// codes they keep) and <c>hash-password</c> (<see cref="HashPasswordCommand"/>).
/// </summary>
internal static class ToolCommands
{
    public static Command Ivr(HostConsole console)
    {
        var ivr = new Command("ivr", "Offline IVR tools: check, rehearse and draw a tree before it goes live");

        var validate = new Command("validate", "Load and validate an IVR file; errors as file:line:column: message");
        var validateFile = File();
        var validateSounds = Text("--sounds", "dir", "Check prompt files under this folder");
        validate.Add(validateFile);
        validate.Add(validateSounds);
        validate.SetAction(r => RunIvr(console, "validate", r.GetValue(validateFile)!, [("--sounds", r.GetValue(validateSounds))]));
        ivr.Add(validate);

        var simulate = new Command("simulate", "Walk a call through the tree and print the path and every action");
        var simulateFile = File();
        (string Name, string HelpName, string Description)[] simulateOptions =
        [
            ("--number", "number", "The dialed number (required)"),
            ("--caller", "number", "The caller's number (default anonymous)"),
            ("--digits", "keys", "Keys pressed, a comma between prompts: \"2,1234#\""),
            ("--at", "time", "When the call arrives: 2026-11-23T10:00:00+01:00 (default now)"),
            ("--queue", "outcome", "What the queue does: answered, overflow or rejected"),
            ("--transfer", "outcome", "What a transfer does: connected or failed"),
            ("--hangup-at", "node", "The caller hangs up on entering this node"),
            ("--sounds", "dir", "Check prompt files under this folder"),
        ];
        var simulateValues = simulateOptions.Select(o => Text(o.Name, o.HelpName, o.Description)).ToList();
        simulate.Add(simulateFile);
        simulateValues.ForEach(simulate.Add);
        simulate.SetAction(r => RunIvr(console, "simulate", r.GetValue(simulateFile)!,
            [.. simulateValues.Select(o => (o.Name, r.GetValue(o)))]));
        ivr.Add(simulate);

        var graph = new Command("graph", "Print a flow's state machine as a Mermaid (default) or Graphviz dot diagram");
        var graphFile = File();
        var flow = Text("--flow", "name", "The flow to draw (default the first)");
        var format = new Option<string>("--format", "-f")
        {
            Description = "mermaid or dot",
            HelpName = "format",
            DefaultValueFactory = _ => "mermaid",
        }.AcceptOnlyFromAmong("mermaid", "dot");
        graph.Add(graphFile);
        graph.Add(flow);
        graph.Add(format);
        graph.SetAction(r => RunIvr(console, "graph", r.GetValue(graphFile)!,
            [("--flow", r.GetValue(flow)), ("--format", r.GetValue(format) == "dot" ? "dot" : null)]));
        ivr.Add(graph);
        return ivr;
    }

    public static Command HashPassword(HostConsole console)
    {
        var command = new Command("hash-password",
            "Read a password (asked twice without echo, or one line on standard input) and print a passwordHash for " +
            "extensions.yaml, or with --ha1 the SIP digest HA1");
        var argon2 = new Option<bool>("--argon2id") { Description = "Argon2id hash (the default)" };
        var pbkdf2 = new Option<bool>("--pbkdf2") { Description = "PBKDF2-SHA256 hash" };
        var ha1 = Text("--ha1", "user", "Print the SIP digest HA1 MD5(user:realm:password) instead");
        var realm = Text("--realm", "realm", "Digest realm for --ha1 (default telephony, as sip.realm)");
        command.Add(argon2);
        command.Add(pbkdf2);
        command.Add(ha1);
        command.Add(realm);
        command.SetAction(r =>
        {
            var args = new List<string>();
            if (r.GetValue(pbkdf2))
            {
                args.Add("--pbkdf2");
            }
            if (r.GetValue(argon2))
            {
                args.Add("--argon2id");
            }
            AddIfGiven(args, "--ha1", r.GetValue(ha1));
            AddIfGiven(args, "--realm", r.GetValue(realm));
            return HashPasswordCommand.Run([.. args], console.In, console.Out, console.Error, console.Interactive);
        });
        return command;
    }

    private static int RunIvr(HostConsole console, string verb, string file, (string Name, string? Value)[] options)
    {
        var args = new List<string> { verb, file };
        foreach (var (name, value) in options)
        {
            AddIfGiven(args, name, value);
        }
        return IvrCommandLine.Run([.. args], console.Out, console.Error);
    }

    private static void AddIfGiven(List<string> args, string name, string? value)
    {
        if (value is not null)
        {
            args.Add(name);
            args.Add(value);
        }
    }

    private static Argument<string> File() => new("file") { Description = "The IVR file, e.g. config/ivr.yaml" };

    private static Option<string?> Text(string name, string helpName, string description) =>
        new(name) { Description = description, HelpName = helpName };
}
