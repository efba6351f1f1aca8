namespace Telephony.Host.Cli;

/// <summary>The streams a command reads and writes; <see cref="Interactive"/> when standard input is a terminal
/// (then <c>hash-password</c> asks twice without echo).</summary>
public sealed record HostConsole(TextReader In, TextWriter Out, TextWriter Error, bool Interactive)
{
    /// <summary>The process's console.</summary>
    public static HostConsole System => new(Console.In, Console.Out, Console.Error, !Console.IsInputRedirected);
}
