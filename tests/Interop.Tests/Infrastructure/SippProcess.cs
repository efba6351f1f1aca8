using System.Globalization;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A running SIPp (UAC or UAS). Start it with <see cref="Start"/>, collect the result with
/// <see cref="WaitAsync"/>; a hard timeout kills it, and dispose kills it if still running.
/// </summary>
public sealed class SippProcess : IAsyncDisposable
{
    private readonly ChildProcess child;
    private readonly string messageFile;
    private readonly string errorFile;
    private readonly string statFile;
    private readonly string screenFile;
    private readonly TimeSpan hardTimeout;
    private SippResult? result;

    private SippProcess(ChildProcess child, string workDirectory, TimeSpan hardTimeout)
    {
        this.child = child;
        WorkDirectory = workDirectory;
        this.hardTimeout = hardTimeout;
        messageFile = Path.Combine(workDirectory, "messages.log");
        errorFile = Path.Combine(workDirectory, "errors.log");
        statFile = Path.Combine(workDirectory, "stat.csv");
        screenFile = Path.Combine(workDirectory, "screen.log");
    }

    /// <summary>Folder with the scenario copy and SIPp's trace files.</summary>
    public string WorkDirectory { get; }

    /// <summary>SIPp's stdout/stderr.</summary>
    public OutputLog Output => child.Output;

    /// <summary>True once SIPp has exited.</summary>
    public bool HasExited => child.HasExited;

    /// <summary>The current message trace (SIPp writes it as it goes).</summary>
    public string CurrentMessageLog => ReadShared(messageFile);

    /// <summary>Builds the command line for <paramref name="o"/>, writing trace files into <paramref name="workDirectory"/>.</summary>
    public static List<string> BuildArguments(SippOptions o, string workDirectory)
    {
        var a = new List<string>();
        bool usesFrom = false;
        if (o.Remote is not null)
        {
            a.Add(o.Remote);
        }

        if (o.BuiltIn)
        {
            a.Add("-sn");
            a.Add(o.Scenario);
        }
        else
        {
            string source = Path.IsPathRooted(o.Scenario) ? o.Scenario : RepoPaths.Scenario(o.Scenario);
            string text = File.ReadAllText(source);
            foreach ((string token, string value) in o.Tokens)
            {
                text = text.Replace(token, value, StringComparison.Ordinal);
            }

            usesFrom = text.Contains("[$from]", StringComparison.Ordinal);
            string copy = Path.Combine(workDirectory, Path.GetFileName(source));
            File.WriteAllText(copy, text);
            a.Add("-sf");
            a.Add(copy);
        }

        string Inv(double d) => d.ToString(CultureInfo.InvariantCulture);
        a.AddRange(["-i", o.LocalAddress, "-p", Inv(o.LocalPort)]);
        a.AddRange(["-mi", o.MediaAddress ?? o.LocalAddress, "-mp", Inv(o.MediaPort)]);
        a.AddRange(["-t", o.Tcp ? "t1" : "u1"]);
        if (o.Service is not null)
        {
            a.AddRange(["-s", o.Service]);
        }

        a.AddRange(["-m", Inv(o.Calls)]);
        if (o.Limit is int l)
        {
            a.AddRange(["-l", Inv(l)]);
        }

        if (o.Rate is double r)
        {
            a.AddRange(["-r", Inv(r)]);
        }

        a.AddRange(["-timeout", $"{Math.Ceiling(o.Timeout.TotalSeconds)}s", "-timeout_error"]);
        a.AddRange(["-recv_timeout", $"{Math.Ceiling(o.RecvTimeout.TotalSeconds)}s"]);
        if (o.DefaultPause is TimeSpan d)
        {
            a.AddRange(["-d", Inv(Math.Round(d.TotalMilliseconds))]);
        }

        if (o.RtpEcho)
        {
            a.Add("-rtp_echo");
        }

        if (o.AuthUser is not null)
        {
            a.AddRange(["-au", o.AuthUser]);
        }

        if (o.AuthPassword is not null)
        {
            a.AddRange(["-ap", o.AuthPassword]);
        }

        if (o.AuthUri is not null)
        {
            a.AddRange(["-auth_uri", o.AuthUri]);
        }

        var variables = new Dictionary<string, string>(o.Variables);
        if (usesFrom)
        {
            // Our UAC scenarios declare <Global variables="from"/> and use [$from] as the From/Contact user.
            variables.TryAdd("from", o.AuthUser ?? "sipp");
        }

        foreach ((string name, string value) in variables)
        {
            a.AddRange(["-set", name, value]);
        }

        a.Add("-nostdin");
        a.AddRange(["-trace_msg", "-message_file", Path.Combine(workDirectory, "messages.log")]);
        a.AddRange(["-trace_err", "-error_file", Path.Combine(workDirectory, "errors.log")]);
        a.AddRange(["-trace_stat", "-stf", Path.Combine(workDirectory, "stat.csv"), "-fd", "1"]);
        a.AddRange(["-trace_screen", "-screen_file", Path.Combine(workDirectory, "screen.log")]);
        a.AddRange(o.ExtraArguments);
        return a;
    }

    /// <summary>Starts SIPp in a fresh work directory.</summary>
    public static SippProcess Start(SippOptions options)
    {
        string work = RepoPaths.NewTempDirectory("sipp");
        List<string> args = BuildArguments(options, work);
        ChildProcess child = ChildProcess.Start("sipp", "sipp", args, work);
        return new SippProcess(child, work, options.HardTimeout ?? options.Timeout + TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// Waits until SIPp has bound its SIP port <paramref name="port"/> (UDP or TCP, from /proc/net), so a UAS is
    /// ready before the call is placed. Throws with SIPp's output if it exits or the port stays unbound.
    /// </summary>
    public async Task WaitUntilBoundAsync(int port, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(5));
        while (DateTime.UtcNow < deadline)
        {
            if (child.HasExited)
            {
                await Task.Delay(100).ConfigureAwait(false);
                throw new InvalidOperationException($"sipp exited ({child.ExitCode}) before binding {port}:\n{child.Output.Tail(30)}\n{ReadShared(errorFile)}");
            }

            if (IsBound(port))
            {
                return;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }

        throw new TimeoutException($"sipp did not bind port {port}:\n{child.Output.Tail(30)}\n{ReadShared(errorFile)}");
    }

    /// <summary>True when some socket is bound to local <paramref name="port"/> (UDP, or TCP listening), per /proc/net.</summary>
    public static bool IsBound(int port)
    {
        string hex = ":" + port.ToString("X4", CultureInfo.InvariantCulture) + " ";
        foreach (string table in new[] { "/proc/net/udp", "/proc/net/tcp", "/proc/net/udp6", "/proc/net/tcp6" })
        {
            try
            {
                foreach (string line in File.ReadLines(table).Skip(1))
                {
                    string[] cols = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (cols.Length > 3 && (cols[1] + " ").Contains(hex, StringComparison.Ordinal) &&
                        (table.Contains("udp", StringComparison.Ordinal) || cols[3] == "0A"))
                    {
                        return true;
                    }
                }
            }
            catch (IOException)
            {
                // table missing
            }
        }

        return false;
    }

    /// <summary>Waits for SIPp to end (killing it at the hard timeout) and collects its files.</summary>
    public async Task<SippResult> WaitAsync()
    {
        if (result is not null)
        {
            return result;
        }

        bool exited = await child.WaitForExitAsync(hardTimeout).ConfigureAwait(false);
        if (!exited)
        {
            child.Kill();
            await child.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await Task.Delay(50).ConfigureAwait(false);
        result = Collect(exited ? child.ExitCode ?? -1 : -1, killed: !exited);
        return result;
    }

    /// <summary>Stops SIPp now (SIGTERM, then SIGKILL) and collects its files.</summary>
    public async Task<SippResult> StopAsync()
    {
        if (result is not null)
        {
            return result;
        }

        bool wasRunning = !child.HasExited;
        int code = await child.StopAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        result = Collect(code, killed: wasRunning);
        return result;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await child.DisposeAsync().ConfigureAwait(false);
    }

    private SippResult Collect(int exitCode, bool killed)
    {
        string stat = ReadShared(statFile);
        return new SippResult(
            exitCode,
            killed,
            child.CommandLine,
            child.Output.ToString(),
            ReadShared(messageFile),
            ReadShared(errorFile),
            ReadShared(screenFile),
            SippStats.Parse(stat));
    }

    private static string ReadShared(string path)
    {
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(fs);
            return reader.ReadToEnd();
        }
        catch (FileNotFoundException)
        {
            return string.Empty;
        }
        catch (DirectoryNotFoundException)
        {
            return string.Empty;
        }
    }
}
