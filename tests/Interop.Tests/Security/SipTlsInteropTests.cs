using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// SIP over TLS (RFC 3261 §26.2.1) on <c>sip.tlsPort</c> against the real server, with the certificate HTTPS uses (the
/// self-signed one made in data/tls at first start): baresip registers over TLS with SRTP mandatory and calls the echo
/// number, hearing its tone back; SIPp (through <see cref="TlsRelay"/>, Debian's SIPp has no TLS) calls the trunk DID
/// from 127.0.0.2 over TLS and gets a 200 and a clean BYE; silent, plain-text and TLS 1.1 clients are counted in
/// <c>/health</c> and block nobody.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed partial class SipTlsInteropTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly PortBlock ports = PortAllocator.For<SipTlsInteropTests>();

    [Fact]
    public async Task BaresipOverTls_SrtpMandatory_RegistersAndCallsEcho_HearsItsOwnTone()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("sip-tls-echo");
        await using BaresipPeer phone = await BaresipPeer.StartRegisteredAsync(new BaresipOptions
        {
            Name = "1001", SipPort = ports.PeerSip(0), ControlPort = ports.PeerSip(0) + 2, RtpPortMin = ports.PeerMedia(0),
            Account = BaresipPeer.AccountLine("1001", server.SipTlsHostPort, Engine.Engine.Password("1001"), autoAnswer: true,
                transport: "tls", mediaEncryption: "srtp-mand"),
            AudioSourceWav = TestAudio.Tone(700, 3, Path.Combine(dir, "t.wav")), QuitAfter = TimeSpan.FromSeconds(90),
            ExtraModules = ["srtp.so"],
        }, output);
        JsonElement health = await HealthAsync(server);
        Assert.True(health.GetProperty("sipTls").GetProperty("enabled").GetBoolean(), health.ToString());
        Assert.True(health.GetProperty("sipTls").GetProperty("connectionsOpen").GetInt64() >= 1, health.ToString());

        // baresip 1.0 appends its account's ;transport=tls to the dialed URI itself (a second one would be a bad URI).
        await phone.DialAsync($"sip:{Engine.Engine.EchoNumber}@{server.SipTlsHostPort}");
        await phone.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(3));
        await phone.HangupAsync();
        await phone.WaitForLogAsync("terminated", TimeSpan.FromSeconds(10));

        string context = $"{server.Describe()}\nphone:\n{phone.Log.Tail(60)}";
        Assert.True(phone.Log.Contains("SRTP is Enabled"), "SRTP was not negotiated\n" + context);
        Assert.True(phone.ReceivedWavPath is not null, "no recording\n" + context);
        double share = AudioAnalysis.ToneShare(WavFile.Read(phone.ReceivedWavPath!).Mono(), 700);
        Assert.True(share >= 0.7, $"the phone should hear its own 700 Hz back: share {share:0.00}\n{context}");
        Assert.Equal(0, (await HealthAsync(server)).GetProperty("sipTls").GetProperty("handshakeFailures").GetInt64());
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task SippOverTlsFromTrunk_CallsDid_Gets200AndCleanBye_ServerUsesTheHttpsCertificate()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        string line = await server.WaitForLogAsync("SHA-256 fingerprint", TimeSpan.FromSeconds(5));
        string fingerprint = Fingerprint().Match(line).Value;
        string dir = RepoPaths.NewTempDirectory("sip-tls-did");
        PcapSummary pcap = PcapBuilder.Write(Path.Combine(dir, "call.pcap"), new PcapStream
        {
            Audio = WavFile.Read(TestAudio.Tone(440, 2, Path.Combine(dir, "tone.wav"))).Mono(), Digits = string.Empty,
        });
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using var relay = new TlsRelay(IPAddress.Loopback, ports.PeerSip(0) + 1, IPAddress.Parse(Engine.Engine.TrunkAddress),
            new IPEndPoint(IPAddress.Loopback, ports.SipTls));

        SippResult call = await Sipp.RunAsync(Engine.Engine.FromTrunk(server, "uac-media", Engine.Engine.Did, ports.PeerSip(0), media, tcp: true) with
        {
            Remote = $"127.0.0.1:{relay.ListenPort}",
            Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
            DefaultPause = TimeSpan.FromSeconds(pcap.DurationSeconds + 0.5),
        });
        string context = $"relay: {relay.Connections} connection(s), {relay.Protocol}\n{sink.Describe()}\n{call.Describe()}\n{server.Describe()}";
        Assert.True(call.Succeeded, "the DID call over TLS failed\n" + context);
        Assert.Equal(1, relay.Connections);
        Assert.Equal(fingerprint, relay.ServerCertificateSha256);
        Assert.True(relay.Protocol is SslProtocols.Tls12 or SslProtocols.Tls13, context);
        Assert.True(sink.CountOf(0) > 20, "the caller got no greeting audio\n" + context);
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task SilentPlainAndOldTlsClients_AreCountedAndBlockNobody_OptionsOverTlsAnswered()
    {
        await using ServerProcess server = await Engine.Engine.StartServerAsync(ports, output);
        var tlsEndPoint = new IPEndPoint(IPAddress.Loopback, ports.SipTls);

        // Ten clients connect and say nothing: each holds a handshake slot until the timeout, never the accept loop.
        var silent = new List<TcpClient>();
        for (int i = 0; i < 10; i++)
        {
            var c = new TcpClient();
            await c.ConnectAsync(tlsEndPoint);
            silent.Add(c);
        }

        // Plain SIP sent to the TLS port fails the handshake: logged, counted, the server goes on.
        using (var plain = new TcpClient())
        {
            await plain.ConnectAsync(tlsEndPoint);
            await plain.GetStream().WriteAsync(Encoding.ASCII.GetBytes(Options("TCP", 1)));
            var buffer = new byte[512];
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                while (await plain.GetStream().ReadAsync(buffer, wait.Token) > 0)
                {
                    // drain until the server closes
                }
            }
            catch (IOException)
            {
                // reset by the server: fine
            }
        }

        // TLS 1.1 is refused (RFC 8996).
        (int code, string text) = await OpenSslAsync("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        Assert.True(text.Contains("alert protocol version", StringComparison.Ordinal)
            || text.Contains("no peer certificate available", StringComparison.Ordinal), $"TLS 1.1 was accepted (exit {code}):\n{text}");

        // Meanwhile a real client gets through at once: OPTIONS over TLS, answered on the same connection.
        var clock = Stopwatch.StartNew();
        string response = await OptionsOverTlsAsync(tlsEndPoint);
        output.WriteLine(response);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"the TLS client waited {clock.Elapsed.TotalSeconds:0.0} s behind silent ones");
        Assert.StartsWith("SIP/2.0 200", response, StringComparison.Ordinal);
        Assert.Contains("SIP/2.0/TLS", response, StringComparison.Ordinal);

        JsonElement tls = (await HealthAsync(server)).GetProperty("sipTls");
        output.WriteLine(tls.ToString());
        Assert.True(tls.GetProperty("handshakeFailures").GetInt64() >= 2, tls.ToString()); // plain text and TLS 1.1
        Assert.True(tls.GetProperty("connectionsAccepted").GetInt64() >= 1, tls.ToString());
        foreach (TcpClient c in silent)
        {
            c.Dispose();
        }

        Assert.False(server.HasExited);
        Assert.StartsWith("SIP/2.0 200", await OptionsOverTlsAsync(tlsEndPoint), StringComparison.Ordinal);
    }

    private static string Options(string transport, int cseq) =>
        $"OPTIONS sip:127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/{transport} 127.0.0.1:5999;branch=z9hG4bK-tls-{cseq}-{Environment.TickCount64};rport\r\n" +
        $"From: <sip:probe@127.0.0.1>;tag=tls{cseq}\r\nTo: <sip:127.0.0.1>\r\nCall-ID: tls-probe-{cseq}-{Environment.TickCount64}\r\n" +
        $"CSeq: {cseq} OPTIONS\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";

    private static async Task<string> OptionsOverTlsAsync(IPEndPoint server)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "localhost", EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
        }, timeout.Token);
        await tls.WriteAsync(Encoding.ASCII.GetBytes(Options("TLS", 1)), timeout.Token);
        var buffer = new byte[4096];
        var text = new StringBuilder();
        while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await tls.ReadAsync(buffer, timeout.Token);
            if (n == 0)
            {
                break;
            }

            text.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        return text.ToString();
    }

    private async Task<(int Code, string Output)> OpenSslAsync(params string[] options)
    {
        var start = new ProcessStartInfo("openssl", ["s_client", "-connect", $"127.0.0.1:{ports.SipTls}", .. options])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using Process p = Process.Start(start)!;
        p.StandardInput.Close();
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(), stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    private static async Task<JsonElement> HealthAsync(ServerProcess server)
    {
        string json = await Http.GetStringAsync(new Uri(server.HttpBase, "health"));
        return JsonDocument.Parse(json).RootElement.Clone();
    }

    [GeneratedRegex("([0-9A-F]{2}:){31}[0-9A-F]{2}")]
    private static partial Regex Fingerprint();
}
