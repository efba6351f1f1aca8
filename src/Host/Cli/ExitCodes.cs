namespace Telephony.Host.Cli;

/// <summary>
/// The process exit codes of <c>Telephony.Host</c>, the same for every command (README "Operations").
/// </summary>
public static class ExitCodes
{
    /// <summary>Done: the command succeeded, or the server stopped cleanly (SIGTERM, Ctrl+C).</summary>
    public const int Ok = 0;

    /// <summary>Invalid input or configuration: <c>config check</c> found problems, the server refused its configuration
    /// (an invalid ivr.yaml tree or queues.yaml included, with config check's lines, or could not start for a reason it
    /// names, such as a port in use), an IVR tree is refused, passwords differ.</summary>
    public const int Invalid = 1;

    /// <summary>Usage error: unknown command or option, a missing or malformed argument.</summary>
    public const int Usage = 2;

    /// <summary>Failed at run time for an unexpected reason (the log has the exception), or the storage could not be read.</summary>
    public const int Failure = 3;
}
