namespace Telephony.Host.Cli;

/// <summary>
/// What <see cref="HostCommandLine.Run"/> decided: either a command ran and the process exits with
/// <see cref="ExitCode"/>, or the server is to run (<see cref="Serve"/>) with <see cref="ServerArguments"/>, the
/// configuration overrides in the form <c>Microsoft.Extensions.Configuration.CommandLine</c> reads
/// (<c>--sip:udpPort=5070</c>, <c>--paths:configDirectory=/etc/telephony</c>).
/// </summary>
public sealed record CommandLineOutcome(int? ExitCode, IReadOnlyList<string> ServerArguments)
{
    /// <summary>True when the server should start.</summary>
    public bool Serve => ExitCode is null;

    public static CommandLineOutcome Exit(int code) => new(code, []);

    public static CommandLineOutcome StartServer(IReadOnlyList<string> arguments) => new(null, arguments);
}
