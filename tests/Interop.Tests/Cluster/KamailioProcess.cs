using System.Diagnostics;
using System.Globalization;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>
/// Kamailio run in the foreground (<c>-DD -E</c>) with the project's <c>deploy/kamailio/kamailio.cfg</c>, its own run
/// folder (dispatcher list, ctl socket, pid file) and a listen address and port given as <c>-A</c> defines, like
/// <c>deploy/cluster/up.sh</c> does. <see cref="DispatcherStatesAsync"/> reads the node states through <c>kamcmd</c>.
/// </summary>
public sealed class KamailioProcess : IAsyncDisposable
{
    private readonly ChildProcess child;
    private readonly string runDirectory;

    private KamailioProcess(ChildProcess child, string runDirectory, string address, int port)
    {
        this.child = child;
        this.runDirectory = runDirectory;
        Address = address;
        Port = port;
    }

    /// <summary>Where it listens (UDP and TCP).</summary>
    public string Address { get; }

    /// <summary>Its SIP port.</summary>
    public int Port { get; }

    /// <summary><c>address:port</c>.</summary>
    public string HostPort => $"{Address}:{Port.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Captured log (stderr, <c>-E</c>).</summary>
    public OutputLog Log => child.Output;

    /// <summary>The kamailio binary, or null when it is not installed.</summary>
    public static string? Binary => new[] { "/usr/sbin/kamailio", "/usr/local/sbin/kamailio", "/usr/bin/kamailio" }.FirstOrDefault(File.Exists);

    /// <summary>Starts Kamailio in front of <paramref name="nodes"/> (each <c>address:port</c>) and waits for its ctl socket.
    /// <paramref name="defines"/>: more <c>-A</c> defines (<c>NAME=value</c>), e.g. <c>USRLOC_DB_URL</c>.</summary>
    public static async Task<KamailioProcess> StartAsync(string address, int port, IReadOnlyList<string> nodes, IReadOnlyList<string>? defines = null)
    {
        string binary = Binary ?? throw new InvalidOperationException("kamailio is not installed (apt-get install kamailio)");
        string run = RepoPaths.NewTempDirectory("kamailio");
        var list = new List<string>();
        foreach (int set in new[] { 1, 2 })
        {
            for (int i = 0; i < nodes.Count; i++)
            {
                // Set 1 is probed (flag 8); set 2 lists the same nodes as the last resort, never probed.
                list.Add(string.Create(CultureInfo.InvariantCulture, $"{set} sip:{nodes[i]} {(set == 1 ? 8 : 0)} 0 duid=node-{i}"));
            }
        }
        await File.WriteAllLinesAsync(Path.Combine(run, "dispatcher.list"), list).ConfigureAwait(false);
        // REGISTER is challenged with the nodes' credentials: the subscriber table the product's CLI writes (HA1 only).
        string subscribers = Path.Combine(run, "db");
        var console = new Telephony.Host.Cli.HostConsole(TextReader.Null, TextWriter.Null, new StringWriter(), Interactive: false);
        if (Telephony.Host.Cli.KamailioSubscribers.Run(["--paths:configDirectory=" + RepoPaths.ConfigDirectory], subscribers, console) != 0)
        {
            throw new InvalidOperationException("kamailio-subscribers failed: " + console.Error);
        }
        string config = Path.Combine(RepoPaths.Root, "deploy", "kamailio", "kamailio.cfg");
        string p = port.ToString(CultureInfo.InvariantCulture);
        ChildProcess child = ChildProcess.Start("kamailio", binary,
        [
            "-f", config, "-DD", "-E", "-Y", run, "-P", Path.Combine(run, "kamailio.pid"), "-m", "64", "-M", "8",
            "-A", $"LISTEN=udp:{address}:{p}", "-A", $"LISTEN_TCP=tcp:{address}:{p}",
            "-A", $"DS_LIST=\"{Path.Combine(run, "dispatcher.list")}\"", "-A", $"CTL_SOCKET=\"unix:{Path.Combine(run, "kamailio.ctl")}\"",
            "-A", $"PROXY_URI=\"sip:proxy@{address}:{p}\"", "-A", $"SUBSCRIBER_DB=\"text://{subscribers}\"",
            .. (defines ?? []).SelectMany(d => new[] { "-A", d }),
        ], run);
        var kamailio = new KamailioProcess(child, run, address, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(Path.Combine(run, "kamailio.ctl")))
        {
            if (child.HasExited || DateTime.UtcNow > deadline)
            {
                string log = child.Output.Tail(30);
                await kamailio.DisposeAsync().ConfigureAwait(false);
                throw new InvalidOperationException($"Kamailio did not start:\n{log}");
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        return kamailio;
    }

    /// <summary>Set 1's node states by URI (<c>AP</c> active, <c>IP</c> inactive, <c>DX</c> disabled), from <c>kamcmd dispatcher.list</c>.</summary>
    public async Task<Dictionary<string, string>> DispatcherStatesAsync()
    {
        var start = new ProcessStartInfo("kamcmd") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-s", "unix:" + Path.Combine(runDirectory, "kamailio.ctl"), "dispatcher.list" })
        {
            start.ArgumentList.Add(a);
        }
        using var process = Process.Start(start)!;
        string text = await process.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await process.WaitForExitAsync().ConfigureAwait(false);
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        string? set = null, uri = null;
        foreach (string line in text.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith("ID:", StringComparison.Ordinal))
            {
                set = line[3..].Trim();
            }
            else if (line.StartsWith("URI:", StringComparison.Ordinal))
            {
                uri = line[4..].Trim();
            }
            else if (line.StartsWith("FLAGS:", StringComparison.Ordinal) && set == "1" && uri is not null)
            {
                states[uri] = line[6..].Trim();
            }
        }
        return states;
    }

    /// <summary>Waits until set 1's states satisfy <paramref name="condition"/>; false on timeout.</summary>
    public async Task<bool> WaitForStatesAsync(Func<IReadOnlyDictionary<string, string>, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (condition(await DispatcherStatesAsync().ConfigureAwait(false)))
            {
                return true;
            }
            await Task.Delay(100).ConfigureAwait(false);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        // SIGTERM: the main process stops its forked workers; then the run folder goes.
        await child.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        await child.DisposeAsync().ConfigureAwait(false);
        try
        {
            Directory.Delete(runDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
