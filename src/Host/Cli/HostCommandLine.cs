using System.CommandLine;
using System.CommandLine.Invocation;

namespace Telephony.Host.Cli;

/// <summary>
/// The command line of <c>Telephony.Host</c> (System.CommandLine): <c>serve</c> (the default), <c>config check</c>,
/// <c>cluster status</c>, <c>cluster kamailio-subscribers</c>, <c>ivr validate|simulate|graph</c>, <c>hash-password</c>, <c>--help</c> and <c>--version</c>.
/// Configuration overrides (<c>--sip:udpPort=5070</c>) are taken out first (<see cref="ConfigurationOverrides"/>) and go
/// to the commands that load the configuration. Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public static class HostCommandLine
{
    public const string Description = """
        Telephony: a self-hosted contact-center phone server (SIP, RTP, IVR, queues, recording, web console).
        Without a command it runs the server (serve). Any configuration key can be set on the command line as
        --section:key=value (e.g. --sip:udpPort=5070) or by an environment variable TELEPHONY_SECTION__KEY.
        Exit codes: 0 ok, 1 invalid input or configuration, 2 usage error, 3 failure at run time.
        """;

    /// <summary>
    /// Parses <paramref name="args"/> and runs the command it names, except <c>serve</c>: then the outcome asks the caller
    /// to start the server with the configuration arguments it returns.
    /// </summary>
    public static CommandLineOutcome Run(IReadOnlyList<string> args, HostConsole console)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(console);
        IReadOnlyList<string>? serverArguments = null;
        List<string> overrides = [];
        var root = Build(console, () => overrides, arguments => serverArguments = arguments);
        var (commandTokens, found) = ConfigurationOverrides.Split(args, OptionNames(root));
        overrides = found;

        var parseResult = root.Parse(commandTokens);
        if (parseResult.Action is ParseErrorAction || (parseResult.Action is null && parseResult.Errors.Count > 0))
        {
            foreach (var error in parseResult.Errors)
            {
                console.Error.WriteLine(error.Message);
            }
            console.Error.WriteLine($"Run '{ExecutableName} --help' for the commands and options.");
            return CommandLineOutcome.Exit(ExitCodes.Usage);
        }
        if (overrides.Count > 0 && !LoadsConfiguration(parseResult.CommandResult.Command))
        {
            console.Error.WriteLine($"'{overrides[0]}': configuration overrides apply to serve, config check and cluster status only.");
            return CommandLineOutcome.Exit(ExitCodes.Usage);
        }
        var exitCode = parseResult.Invoke(new InvocationConfiguration
        {
            Output = console.Out,
            Error = console.Error,
            EnableDefaultExceptionHandler = false,
        });
        return serverArguments is not null && exitCode == ExitCodes.Ok
            ? CommandLineOutcome.StartServer(serverArguments)
            : CommandLineOutcome.Exit(exitCode);
    }

    /// <summary>The name the help shows.</summary>
    public const string ExecutableName = "Telephony.Host";

    private static bool LoadsConfiguration(Command command) =>
        command is RootCommand || command.Name is "serve" or "check" or "status" or "kamailio-subscribers";

    internal static RootCommand Build(HostConsole console, Func<IReadOnlyList<string>> overrides,
        Action<IReadOnlyList<string>> serve)
    {
        var root = new RootCommand(Description);
        foreach (var version in root.Options.OfType<VersionOption>())
        {
            version.Action = new VersionAction();
        }

        var rootLocations = new ServerLocationOptions();
        rootLocations.AddTo(root);
        root.SetAction(parseResult =>
        {
            serve(rootLocations.ToServerArguments(parseResult, overrides()));
            return ExitCodes.Ok;
        });

        var serveCommand = new Command("serve", "Run the server (the default): SIP, RTP, HTTP API and web console, until SIGTERM or Ctrl+C");
        var serveLocations = new ServerLocationOptions();
        serveLocations.AddTo(serveCommand);
        serveCommand.SetAction(parseResult =>
        {
            serve(serveLocations.ToServerArguments(parseResult, overrides()));
            return ExitCodes.Ok;
        });
        root.Add(serveCommand);

        var config = new Command("config", "Check the configuration");
        var check = new Command("check",
            "Load every configuration file the server loads (telephony.yaml, extensions.yaml, queues.yaml, ivr.yaml) and " +
            "report each problem as file:line:column: field problem; exit 0 when all is well, 1 otherwise");
        var checkLocations = new ServerLocationOptions();
        checkLocations.AddTo(check);
        check.SetAction(parseResult => ConfigCheck.Run(checkLocations.ToServerArguments(parseResult, overrides()), console));
        config.Add(check);
        root.Add(config);

        var cluster = new Command("cluster", "Cluster membership");
        var status = new Command("status", "Print this node's id, its storage and whether it is part of a cluster");
        var statusLocations = new ServerLocationOptions();
        statusLocations.AddTo(status);
        status.SetAction(parseResult => ClusterStatus.Run(statusLocations.ToServerArguments(parseResult, overrides()), console));
        cluster.Add(status);
        var subscribers = new Command("kamailio-subscribers",
            "Write Kamailio's subscriber table (db_text folder for auth_db in deploy/kamailio/kamailio.cfg) from the " +
            "extensions: user = number, ha1 = MD5(number:sip.realm:password) or the stored ha1; no plaintext password");
        var subscribersOutput = new Option<string>("--output")
        {
            Description = "The db_text folder to write (subscriber and version files)", Required = true, HelpName = "dir",
        };
        subscribers.Add(subscribersOutput);
        var subscribersLocations = new ServerLocationOptions();
        subscribersLocations.AddTo(subscribers);
        subscribers.SetAction(parseResult => KamailioSubscribers.Run(subscribersLocations.ToServerArguments(parseResult, overrides()),
            parseResult.GetValue(subscribersOutput)!, console));
        cluster.Add(subscribers);
        root.Add(cluster);

        root.Add(ToolCommands.Ivr(console));
        root.Add(ToolCommands.HashPassword(console));
        return root;
    }

    private static HashSet<string> OptionNames(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Visit(Command c)
        {
            foreach (var option in c.Options)
            {
                names.Add(option.Name);
                names.UnionWith(option.Aliases);
            }
            foreach (var sub in c.Subcommands)
            {
                Visit(sub);
            }
        }
        Visit(command);
        return names;
    }

    /// <summary>Prints the Host assembly's informational version (version + git commit when the build knew it).</summary>
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.InvocationConfiguration.Output.WriteLine(HostVersion.Informational);
            return ExitCodes.Ok;
        }
    }
}
