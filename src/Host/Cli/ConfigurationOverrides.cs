namespace Telephony.Host.Cli;

/// <summary>
/// Separates configuration overrides from the command line before System.CommandLine parses it. An override is
/// <c>--section:key=value</c> or <c>--section:key value</c> (a colon in the name), or <c>--name=value</c> whose name is
/// not an option of any command: the forms <c>Microsoft.Extensions.Configuration.CommandLine</c> reads, as the README
/// has documented them (<c>--sip:udpPort=5070</c>). Taking them out first keeps <c>--data:directory=…</c> from being
/// read as the <c>--data</c> option with the value <c>directory=…</c>.
/// </summary>
public static class ConfigurationOverrides
{
    /// <summary>Splits <paramref name="args"/>; <paramref name="knownOptions"/> are every option name and alias.</summary>
    public static (List<string> Command, List<string> Overrides) Split(IReadOnlyList<string> args, IReadOnlySet<string> knownOptions)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(knownOptions);
        var command = new List<string>();
        var overrides = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                command.AddRange(args.Skip(i));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                var equals = arg.IndexOf('=', StringComparison.Ordinal);
                var name = equals < 0 ? arg : arg[..equals];
                if (name.Contains(':', StringComparison.Ordinal))
                {
                    overrides.Add(arg);
                    if (equals < 0 && i + 1 < args.Count)
                    {
                        overrides.Add(args[++i]);
                    }
                    continue;
                }
                if (equals > 0 && !knownOptions.Contains(name))
                {
                    overrides.Add(arg);
                    continue;
                }
            }
            command.Add(arg);
        }
        return (command, overrides);
    }
}
