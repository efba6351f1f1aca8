using System.Net;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// The Telephony server (Telephony.Host.dll from the test output folder) run as a real process on loopback
/// with its own <see cref="PortBlock"/>, a temp data directory and the repository's config and sounds,
/// configured through <c>TELEPHONY_</c> environment variables. Ready when <c>GET /health</c> answers 200.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    /// <summary>How long <see cref="StartAsync"/> waits for /health by default.</summary>
    public static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(30);

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly ChildProcess child;
    private readonly ITestOutputHelper? output;
    private bool disposed;

    private ServerProcess(ChildProcess child, PortBlock ports, string dataDirectory, ITestOutputHelper? output)
    {
        this.child = child;
        Ports = ports;
        DataDirectory = dataDirectory;
        this.output = output;
    }

    /// <summary>The ports the server was given.</summary>
    public PortBlock Ports { get; }

    /// <summary>The server's data directory (a fresh temp folder, deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>Captured stdout/stderr.</summary>
    public OutputLog Log => child.Output;

    /// <summary>OS process id.</summary>
    public int ProcessId => child.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => child.HasExited;

    /// <summary>Exit code once exited.</summary>
    public int? ExitCode => child.ExitCode;

    /// <summary><c>http://127.0.0.1:&lt;http&gt;/</c>.</summary>
    public Uri HttpBase => new($"http://127.0.0.1:{Ports.Http}/");

    /// <summary>The server's SIP address as a host:port string (<c>127.0.0.1:&lt;sip&gt;</c>).</summary>
    public string SipHostPort => $"127.0.0.1:{Ports.Sip}";

    /// <summary>The SIP endpoint (UDP and TCP).</summary>
    public IPEndPoint SipEndPoint => new(IPAddress.Loopback, Ports.Sip);

    /// <summary>The environment the server is started with, for <paramref name="ports"/> and <paramref name="dataDirectory"/>.</summary>
    public static Dictionary<string, string?> Environment(PortBlock ports, string dataDirectory) => new()
    {
        ["TELEPHONY_SIP__ADDRESS"] = "127.0.0.1",
        ["TELEPHONY_SIP__UDPPORT"] = ports.Sip.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TELEPHONY_SIP__TCPPORT"] = ports.Sip.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TELEPHONY_RTP__ADDRESS"] = "127.0.0.1",
        ["TELEPHONY_RTP__PORTMIN"] = ports.RtpMin.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TELEPHONY_RTP__PORTMAX"] = ports.RtpMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TELEPHONY_HTTP__ADDRESS"] = "127.0.0.1",
        ["TELEPHONY_HTTP__PORT"] = ports.Http.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TELEPHONY_HTTP__HTTPSPORT"] = ports.Https.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["TELEPHONY_DATA__DIRECTORY"] = dataDirectory,
        ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = RepoPaths.ConfigDirectory,
        ["TELEPHONY_PATHS__SOUNDSDIRECTORY"] = RepoPaths.SoundsDirectory,
        // Belt and braces: keeps Kestrel off its default port even if the Host ignores TELEPHONY_HTTP__*.
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{ports.Http}",
        ["DOTNET_ENVIRONMENT"] = "Testing",
        ["ASPNETCORE_ENVIRONMENT"] = "Testing",
        ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
    };

    /// <summary>
    /// Starts the server and waits until /health answers 200. On failure the process is killed and the
    /// exception carries its output.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        PortBlock ports,
        ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string?>? extraEnvironment = null,
        TimeSpan? startTimeout = null)
    {
        string dll = Path.Combine(RepoPaths.TestBinDirectory, "Telephony.Host.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Server not built: {dll} is missing.", dll);
        }

        string data = RepoPaths.NewTempDirectory("server-data");
        Dictionary<string, string?> env = Environment(ports, data);
        if (extraEnvironment is not null)
        {
            foreach ((string k, string? v) in extraEnvironment)
            {
                env[k] = v;
            }
        }

        string dotnet = System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
            ? host
            : "dotnet";
        ChildProcess child = ChildProcess.Start("server", dotnet, [dll], RepoPaths.Root, env);
        var server = new ServerProcess(child, ports, data, output);
        try
        {
            await server.WaitForHealthAsync(startTimeout ?? DefaultStartTimeout).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>
    /// Starts the server (<see cref="StartAsync"/>: /health answers) and waits until it also answers SIP OPTIONS (probed
    /// from <see cref="PortBlock.PeerSip"/>(9)): ready for calls. <paramref name="dataDirectory"/>, when given, is the data
    /// folder (kept after dispose: the test owns it). The one way tests start a server for calls.
    /// </summary>
    public static async Task<ServerProcess> StartReadyAsync(PortBlock ports, ITestOutputHelper? output = null,
        IReadOnlyDictionary<string, string?>? extraEnvironment = null, string? dataDirectory = null)
    {
        ServerProcess server = await StartAsync(ports, output, WithData(dataDirectory, extraEnvironment)).ConfigureAwait(false);
        try
        {
            await server.WaitForSipAsync(ports.PeerSip(9)).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary><paramref name="extra"/> plus <c>TELEPHONY_DATA__DIRECTORY</c> when <paramref name="dataDirectory"/> is given.</summary>
    public static IReadOnlyDictionary<string, string?>? WithData(string? dataDirectory, IReadOnlyDictionary<string, string?>? extra)
    {
        if (dataDirectory is null)
        {
            return extra;
        }

        var env = new Dictionary<string, string?> { ["TELEPHONY_DATA__DIRECTORY"] = dataDirectory };
        foreach ((string k, string? v) in extra ?? new Dictionary<string, string?>())
        {
            env[k] = v;
        }

        return env;
    }

    /// <summary>GET /health: status code and body (status 0 and the error text when the request failed).</summary>
    public async Task<(int Status, string Body)> GetHealthAsync()
    {
        try
        {
            using HttpResponseMessage r = await Http.GetAsync(new Uri(HttpBase, "health")).ConfigureAwait(false);
            return ((int)r.StatusCode, await r.Content.ReadAsStringAsync().ConfigureAwait(false));
        }
        catch (HttpRequestException ex)
        {
            return (0, ex.Message);
        }
        catch (TaskCanceledException ex)
        {
            return (0, ex.Message);
        }
    }

    /// <summary>
    /// Sends OPTIONS over UDP (from <paramref name="probePort"/>) until the server answers 200; throws with the
    /// server log when it does not within <paramref name="timeout"/>. Use right after <see cref="StartAsync"/>.
    /// </summary>
    public async Task WaitForSipAsync(int probePort, TimeSpan? timeout = null)
    {
        DateTime deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        using var probe = new RawSipClient(SipEndPoint, probePort);
        string? last = null;
        while (DateTime.UtcNow < deadline && !HasExited)
        {
            last = await probe.OptionsAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
            if (last is not null && SipText.StatusCode(last) == 200)
            {
                return;
            }
        }

        throw new TimeoutException(
            $"Server does not answer SIP OPTIONS on udp:{SipHostPort} (last response: {(last is null ? "none" : SipText.StartLine(last))}). " +
            Describe(120));
    }

    /// <summary>Waits for a log line containing <paramref name="substring"/>.</summary>
    public Task<string> WaitForLogAsync(string substring, TimeSpan timeout, int fromLine = 0) =>
        Log.WaitForAsync(substring, timeout, fromLine, () => !child.HasExited, "server");

    /// <summary>SIGTERM, then waits up to <paramref name="timeout"/> (default 10 s); SIGKILL after that. Returns the exit code.</summary>
    public Task<int> StopAsync(TimeSpan? timeout = null) => child.StopAsync(timeout ?? TimeSpan.FromSeconds(10));

    /// <summary>SIGKILL (whole process tree).</summary>
    public void Kill() => child.Kill();

    /// <summary>A description for assertion messages: pid, state and the log tail.</summary>
    public string Describe(int maxLines = 60) =>
        $"server pid {ProcessId} ({(HasExited ? $"exited {ExitCode}" : "running")}), log tail:\n{Log.Tail(maxLines)}";

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (disposed)
        {
            return;
        }

        disposed = true;
        if (!child.HasExited)
        {
            await child.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }

        await child.DisposeAsync().ConfigureAwait(false);
        if (output is not null)
        {
            try
            {
                output.WriteLine($"--- server log ({Log.Count} lines, exit {child.ExitCode}) ---");
                output.WriteLine(Log.Tail(400));
            }
            catch (InvalidOperationException)
            {
                // test already finished
            }
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private async Task WaitForHealthAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        (int Status, string Body) last = (0, "not tried");
        while (DateTime.UtcNow < deadline)
        {
            if (child.HasExited)
            {
                await Task.Delay(200).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Server exited with code {child.ExitCode} before /health answered. Output:\n{Log.Tail(200)}");
            }

            last = await GetHealthAsync().ConfigureAwait(false);
            if (last.Status == 200)
            {
                return;
            }

            await Task.Delay(200).ConfigureAwait(false);
        }

        throw new TimeoutException(
            $"Server /health did not answer 200 within {timeout.TotalSeconds:0} s (last: {last.Status} {last.Body}). " +
            $"Command: {child.CommandLine}\nOutput:\n{Log.Tail(200)}");
    }
}
