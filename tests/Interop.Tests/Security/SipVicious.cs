using System.Globalization;
using System.Text.RegularExpressions;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// Runs the SIPVicious scanners (Debian package <c>sipvicious</c> 0.3.3): <c>svwar</c> enumerates extensions,
/// <c>svcrack</c> guesses passwords. Facts of this version that the tests rely on:
/// <list type="bullet">
/// <item><c>-b</c> is parsed but never reaches the socket (main() does not pass it on), so the scanner sends from
/// the address the kernel picks: 127.0.0.1 towards the test server on 127.0.0.1. Legitimate peers therefore use
/// other loopback addresses (127.0.0.3, 127.0.0.5).</item>
/// <item>svwar first probes a random user; if that gets 401/403/407 it stops ("authentication request for an
/// unknown extension") unless <c>--force</c>, and with <c>--force</c> it stops at the first answer equal to the
/// random user's. It reports "found nothing" when no extension answered differently.</item>
/// <item>svcrack sends REGISTER, answers each 401 with the next password (digest uri = Request-URI = sip:host),
/// ignores 403, and prints the password on a 200. When nothing answers for <c>--maximumtime</c> seconds it stops,
/// after one more 10 s socket timeout. On 403s it keeps asking for new challenges and never stops by itself.</item>
/// <item>Never pass <c>-R</c> (mails a report to the author) or <c>-A</c> (connects to an outside host).</item>
/// </list>
/// </summary>
internal static partial class SipVicious
{
    /// <summary>Runs <paramref name="tool"/> with <paramref name="arguments"/> against the server, killed after
    /// <paramref name="limit"/>; returns its output (stdout and stderr) and whether it ended by itself.</summary>
    public static async Task<(string Output, bool Exited, TimeSpan Took)> RunAsync(
        string tool, IReadOnlyList<string> arguments, TimeSpan limit, ITestOutputHelper? output = null)
    {
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(d => File.Exists(Path.Combine(d, tool))))
        {
            throw new InvalidOperationException(
                $"{tool} is not installed: apt-get install -y --no-install-recommends sipvicious (scripts/test.sh installs it)");
        }

        var started = DateTime.UtcNow;
        await using ChildProcess child = ChildProcess.Start(tool, tool, arguments, RepoPaths.NewTempDirectory(tool),
            new Dictionary<string, string?> { ["HOME"] = RepoPaths.NewTempDirectory(tool + "-home"), ["PYTHONUNBUFFERED"] = "1" });
        var exited = await child.WaitForExitAsync(limit);
        if (!exited)
        {
            child.Kill();
            await child.WaitForExitAsync(TimeSpan.FromSeconds(5));
        }
        await Task.Delay(200); // the last output lines
        var took = DateTime.UtcNow - started;
        var text = child.Output.ToString();
        output?.WriteLine($"--- {child.CommandLine} ({took.TotalSeconds:0.0} s, {(exited ? "exited" : "killed")}) ---\n{text}");
        return (text, exited, took);
    }

    /// <summary>svwar arguments: <paramref name="range"/> over UDP to the server, from <paramref name="localPort"/>.</summary>
    public static string[] Svwar(ServerProcess server, string range, int localPort, string method = "REGISTER", bool force = true)
    {
        var a = new List<string> { "-e", range, "-m", method, "-P", I(localPort), "-p", I(server.Ports.Sip), "--maximumtime", "3" };
        if (force)
        {
            a.Add("--force");
        }
        a.Add("127.0.0.1");
        return [.. a];
    }

    /// <summary>svcrack arguments: guess <paramref name="user"/>'s password from <paramref name="dictionary"/>.</summary>
    public static string[] Svcrack(ServerProcess server, string user, string dictionary, int localPort) =>
        ["-u", user, "-d", dictionary, "-P", I(localPort), "-p", I(server.Ports.Sip), "--maximumtime", "3", "127.0.0.1"];

    /// <summary>A dictionary of <paramref name="size"/> words with <paramref name="password"/> at 1-based
    /// <paramref name="position"/>.</summary>
    public static string Dictionary(string dir, int size, string password, int position)
    {
        var words = Enumerable.Range(1, size).Select(i => "guess" + I(i)).ToArray();
        words[position - 1] = password;
        var path = Path.Combine(dir, $"dictionary-{size}-{position}.txt");
        File.WriteAllLines(path, words);
        return path;
    }

    /// <summary>Extensions svwar reported ("extension 'N' exists ..." lines and table rows).</summary>
    public static IReadOnlyList<string> ReportedExtensions(string svwarOutput) =>
        [.. ExtensionLine().Matches(svwarOutput).Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).Distinct()];

    /// <summary>svwar's output with what differs per run (tags, nonces, branches, Call-IDs, numbers, ports) blanked.</summary>
    public static string Normalize(string svwarOutput) =>
        Variable().Replace(svwarOutput.Replace("\\r\\n", "\n", StringComparison.Ordinal), "#");

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex(@"extension '([^']+)' (?:exists|probably exists)|^\|\s*(\d+)\s*\|\s*(?:reqauth|noauth|weird)", RegexOptions.Multiline)]
    private static partial Regex ExtensionLine();

    [GeneratedRegex(@"(?<=tag=|branch=|nonce="")[^;>"" \r\n\\]+|\d+(\.\d+)?")]
    private static partial Regex Variable();
}
