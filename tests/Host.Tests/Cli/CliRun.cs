using Telephony.Host.Cli;

namespace Telephony.Host.Tests.Cli;

/// <summary>Runs the Host's command line in process with captured streams; never starts the server.</summary>
internal sealed record CliRun(CommandLineOutcome Outcome, string Out, string Error)
{
    public int? ExitCode => Outcome.ExitCode;

    public static CliRun Of(params string[] args) => WithInput("", args);

    public static CliRun WithInput(string input, params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stdin = new StringReader(input);
        var outcome = HostCommandLine.Run(args, new HostConsole(stdin, stdout, stderr, Interactive: false));
        return new CliRun(outcome, stdout.ToString(), stderr.ToString());
    }
}
