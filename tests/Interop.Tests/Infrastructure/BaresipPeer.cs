using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A headless baresip 1.0.0 user agent: own config dir (no stdio, aufile source, aubridge player, sndfile
/// recorder, ctrl_tcp), started with <c>-t</c> so it always ends, driven over ctrl_tcp netstrings
/// (<c>dial</c>, <c>hangup</c>, <c>quit</c>). Its process tree is killed on dispose.
/// </summary>
public sealed class BaresipPeer : IAsyncDisposable
{
    private readonly ChildProcess child;
    private readonly ITestOutputHelper? output;
    private int token;

    private BaresipPeer(ChildProcess child, BaresipOptions options, string directory, ITestOutputHelper? output)
    {
        this.child = child;
        Options = options;
        Directory = directory;
        this.output = output;
    }

    /// <summary>The options it was started with.</summary>
    public BaresipOptions Options { get; }

    /// <summary>The peer's folder (cfg/, home/, rec/, play.wav).</summary>
    public string Directory { get; }

    /// <summary>Folder where sndfile writes <c>dump-*-enc.wav</c> (sent) and <c>dump-*-dec.wav</c> (heard).</summary>
    public string RecordingDirectory => Path.Combine(Directory, "rec");

    /// <summary>Captured stdout/stderr.</summary>
    public OutputLog Log => child.Output;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => child.HasExited;

    /// <summary>The newest <c>*-dec.wav</c> (what this peer heard), or null.</summary>
    public string? ReceivedWavPath => Newest("*-dec.wav");

    /// <summary>The newest <c>*-enc.wav</c> (what this peer sent), or null.</summary>
    public string? SentWavPath => Newest("*-enc.wav");

    /// <summary>
    /// An <c>accounts</c> line: <c>&lt;sip:USER@HOST;transport=T&gt;;auth_pass=...;answermode=...;audio_codecs=PCMU;regint=N</c>.
    /// <paramref name="hostPort"/> is the registrar/proxy (e.g. the server's 127.0.0.1:port); regint 0 = no REGISTER.
    /// <paramref name="codecs"/> is baresip's <c>audio_codecs</c> list (<c>PCMU</c>, <c>PCMA</c>, <c>PCMU,PCMA</c>).
    /// </summary>
    public static string AccountLine(
        string user, string hostPort, string? password = null, bool autoAnswer = true, int registerSeconds = 600, string transport = "udp",
        string codecs = "PCMU", string? mediaEncryption = null)
    {
        var sb = new StringBuilder($"<sip:{user}@{hostPort};transport={transport}>");
        if (password is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $";auth_user={user};auth_pass={password}");
        }

        sb.Append(autoAnswer ? ";answermode=auto" : ";answermode=manual");
        sb.Append(CultureInfo.InvariantCulture, $";audio_codecs={codecs}");
        sb.Append(CultureInfo.InvariantCulture, $";regint={registerSeconds}");
        if (mediaEncryption is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $";mediaenc={mediaEncryption}"); // srtp, srtp-mand, dtls_srtp...
        }
        return sb.ToString();
    }

    /// <summary>Writes the config and starts baresip; returns once it logged "baresip is ready.".</summary>
    public static async Task<BaresipPeer> StartAsync(BaresipOptions options, ITestOutputHelper? output = null)
    {
        string dir = RepoPaths.NewTempDirectory("baresip-" + options.Name);
        string cfg = Path.Combine(dir, "cfg");
        string home = Path.Combine(dir, "home");
        string rec = Path.Combine(dir, "rec");
        System.IO.Directory.CreateDirectory(cfg);
        System.IO.Directory.CreateDirectory(home);
        System.IO.Directory.CreateDirectory(rec);
        string play = TestAudio.Loop(options.AudioSourceWav, Path.Combine(dir, "play.wav"), 30);

        string I(int v) => v.ToString(CultureInfo.InvariantCulture);
        string config = string.Join('\n', (string[])[
            "poll_method epoll",
            $"sip_listen 127.0.0.1:{I(options.SipPort)}",
            "net_interface 127.0.0.1",
            "call_local_timeout 120",
            "call_max_calls 4",
            "audio_player aubridge,nil",
            "audio_alert aubridge,nil",
            $"audio_source aufile,{play}",
            "ausrc_srate 8000",
            "auplay_srate 8000",
            "ausrc_channels 1",
            "auplay_channels 1",
            $"rtp_ports {I(options.RtpPortMin)}-{I(options.RtpPortMin + 9)}",
            "module_path /usr/lib/baresip/modules",
            "module g711.so",
            "module aufile.so",
            "module aubridge.so",
            "module sndfile.so",
            .. options.ExtraModules.Select(m => "module " + m),
            .. options.ExtraConfig,
            "module_tmp account.so",
            "module_app menu.so",
            "module_app ctrl_tcp.so",
            $"ctrl_tcp_listen 127.0.0.1:{I(options.ControlPort)}",
            $"snd_path {rec}",
            string.Empty]);
        await File.WriteAllTextAsync(Path.Combine(cfg, "config"), config).ConfigureAwait(false);
        await File.WriteAllTextAsync(Path.Combine(cfg, "accounts"), options.Account + "\n").ConfigureAwait(false);

        var env = new Dictionary<string, string?> { ["HOME"] = home };
        ChildProcess child = ChildProcess.Start(
            "baresip-" + options.Name,
            "baresip",
            ["-f", cfg, "-t", I((int)Math.Ceiling(options.QuitAfter.TotalSeconds))],
            dir,
            env);
        var peer = new BaresipPeer(child, options, dir, output);
        try
        {
            await peer.WaitForLogAsync("baresip is ready.", options.StartTimeout).ConfigureAwait(false);
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return peer;
    }

    /// <summary>Starts baresip (<see cref="StartAsync"/>) and waits until its account is registered ("[1 binding]").</summary>
    public static async Task<BaresipPeer> StartRegisteredAsync(BaresipOptions options, ITestOutputHelper? output = null)
    {
        BaresipPeer peer = await StartAsync(options, output).ConfigureAwait(false);
        try
        {
            await peer.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch
        {
            await peer.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return peer;
    }

    /// <summary>Waits for a log line containing <paramref name="substring"/> (from line <paramref name="fromLine"/>).</summary>
    public Task<string> WaitForLogAsync(string substring, TimeSpan timeout, int fromLine = 0) =>
        Log.WaitForAsync(substring, timeout, fromLine, () => !child.HasExited, "baresip " + Options.Name);

    /// <summary>Sends a ctrl_tcp command and returns the response's <c>data</c>; throws when <c>ok</c> is false.</summary>
    public async Task<string> CommandAsync(string command, string? parameters = null, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Options.ControlPort, cts.Token).ConfigureAwait(false);
        NetworkStream stream = tcp.GetStream();
        string t = "t" + Interlocked.Increment(ref token).ToString(CultureInfo.InvariantCulture);
        var request = new Dictionary<string, string> { ["command"] = command, ["token"] = t };
        if (parameters is not null)
        {
            request["params"] = parameters;
        }

        byte[] json = JsonSerializer.SerializeToUtf8Bytes(request);
        byte[] frame = [.. Encoding.ASCII.GetBytes($"{json.Length}:"), .. json, (byte)','];
        await stream.WriteAsync(frame, cts.Token).ConfigureAwait(false);

        var pending = new List<byte>();
        byte[] buf = new byte[4096];
        while (true)
        {
            while (TryTakeNetstring(pending, out string? payload))
            {
                using JsonDocument doc = JsonDocument.Parse(payload);
                JsonElement root = doc.RootElement;
                if (root.TryGetProperty("response", out JsonElement isResponse) && isResponse.ValueKind == JsonValueKind.True)
                {
                    bool ok = root.TryGetProperty("ok", out JsonElement okEl) && okEl.ValueKind == JsonValueKind.True;
                    string data = root.TryGetProperty("data", out JsonElement d) ? d.GetString() ?? string.Empty : string.Empty;
                    if (!ok)
                    {
                        throw new InvalidOperationException($"baresip {Options.Name}: '{command} {parameters}' failed: {data}");
                    }

                    return data;
                }
            }

            int n = await stream.ReadAsync(buf, cts.Token).ConfigureAwait(false);
            if (n == 0)
            {
                throw new IOException($"baresip {Options.Name}: ctrl_tcp closed before answering '{command}'");
            }

            pending.AddRange(buf.AsSpan(0, n));
        }
    }

    /// <summary>ctrl_tcp <c>dial &lt;uri&gt;</c>.</summary>
    public Task<string> DialAsync(string uri) => CommandAsync("dial", uri);

    /// <summary>ctrl_tcp <c>hangup</c> (current call).</summary>
    public Task<string> HangupAsync() => CommandAsync("hangup");

    /// <summary>ctrl_tcp <c>quit</c>, then waits up to 5 s for the process to end (killing it after that).</summary>
    public async Task QuitAsync()
    {
        if (child.HasExited)
        {
            return;
        }

        try
        {
            await CommandAsync("quit").ConfigureAwait(false);
        }
        catch (IOException)
        {
            // already going down
        }
        catch (SocketException)
        {
            // already going down
        }

        if (!await child.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false))
        {
            await child.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await child.DisposeAsync().ConfigureAwait(false);
        if (output is not null)
        {
            try
            {
                output.WriteLine($"--- baresip {Options.Name} log ({Log.Count} lines) ---");
                output.WriteLine(Log.Tail(150));
            }
            catch (InvalidOperationException)
            {
                // test already finished
            }
        }
    }

    private static bool TryTakeNetstring(List<byte> pending, out string payload)
    {
        payload = string.Empty;
        int colon = pending.IndexOf((byte)':');
        if (colon <= 0)
        {
            return false;
        }

        if (!int.TryParse(Encoding.ASCII.GetString(pending.GetRange(0, colon).ToArray()), NumberStyles.None, CultureInfo.InvariantCulture, out int len))
        {
            throw new InvalidDataException("bad netstring from ctrl_tcp: " + Encoding.UTF8.GetString(pending.ToArray()));
        }

        if (pending.Count < colon + 1 + len + 1)
        {
            return false;
        }

        payload = Encoding.UTF8.GetString(pending.GetRange(colon + 1, len).ToArray());
        pending.RemoveRange(0, colon + 1 + len + 1);
        return true;
    }

    private string? Newest(string pattern)
    {
        if (!System.IO.Directory.Exists(RecordingDirectory))
        {
            return null;
        }

        return new DirectoryInfo(RecordingDirectory).GetFiles(pattern).OrderBy(f => f.LastWriteTimeUtc).LastOrDefault()?.FullName;
    }
}
