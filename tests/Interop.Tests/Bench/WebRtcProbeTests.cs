using System.Text.Json;

namespace Telephony.Interop.Tests.Bench;

/// <summary>
/// The WebRTC load bench's client (<c>bench/webrtc.sh</c>), proven at a tiny scale so it does not rot: RtpProbe's calls
/// mode places 2 WebRTC-style calls to the echo number, each over its own SIP-over-WebSocket connection (RFC 7118), offering UDP/TLS/RTP/SAVPF with Opus (RFC 8829 §5.2.1), runs
/// ICE checks with USE-CANDIDATE against our ICE-lite answer (RFC 8445), a DTLS 1.2 client handshake checked against
/// the server's a=fingerprint (RFC 5763, RFC 5764 §4.2 keys), then sends a replayed Opus tone over SRTP. Both calls are
/// keyed, every SRTP packet from the server authenticates, and each hears its tone echoed back.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class WebRtcProbeTests(ITestOutputHelper output)
{
    private static readonly IFormatProvider Inv = System.Globalization.CultureInfo.InvariantCulture;
    private readonly PortBlock ports = PortAllocator.For<WebRtcProbeTests>();

    [Fact]
    public async Task Probe_calls_mode_two_webrtc_legs_over_websocket_key_dtls_srtp_and_hear_their_opus_tone_echoed()
    {
        await using ServerProcess server = await ServerProcess.StartReadyAsync(ports, output);
        string configuration = new DirectoryInfo(RepoPaths.TestBinDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        string probe = Path.Combine(RepoPaths.Root, "bench", "RtpProbe", "bin", configuration, "net10.0", "Telephony.RtpProbe.dll");
        Assert.True(File.Exists(probe), $"RtpProbe not built: {probe}");

        await using ChildProcess run = ChildProcess.Start("rtp-probe", "dotnet",
        [
            probe, "calls", "--server", server.SipHostPort, "--local", "127.0.0.2", "--sip-port", ports.PeerSip(0).ToString(Inv),
            "--rtp-port", ports.PeerMedia(0).ToString(Inv), "--number", "9000", "--calls", "2", "--webrtc", "2",
            "--seconds", "4", "--rate", "10", "--timeout", "20", "--ws", $"ws://127.0.0.1:{server.Ports.Http.ToString(Inv)}/sip",
        ]);
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(25)), "the probe did not finish\n" + run.Output.Tail(20));
        string context = $"probe exit {run.ExitCode}:\n{run.Output.Tail(20)}\n{server.Describe()}";
        string json = run.Output.Snapshot().LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException("no JSON\n" + context);
        output.WriteLine(json);
        using JsonDocument result = JsonDocument.Parse(json);
        JsonElement web = result.RootElement.GetProperty("webrtc");

        Assert.True(run.ExitCode == 0, context);
        Assert.Equal("ws", result.RootElement.GetProperty("sipTransport").GetString());
        Assert.Equal(0, Int(result.RootElement, "webSocketFailures"));
        Assert.Equal((2, 2, 0), (Int(web, "calls"), Int(web, "completed"), Int(web, "failed")));
        Assert.Equal((2, 2, 0), (Int(web, "iceConnected"), Int(web, "dtlsKeyed"), Int(web, "handshakeFailures")));
        Assert.Equal((0, 0), (Int(web, "authFailures"), Int(web, "otherUnprotectErrors")));
        Assert.Equal(Int(web, "unprotectOk"), Int(web, "packetsReturned"));
        Assert.True(Int(web, "unprotectOk") >= 2 * 2 * 50, context); // at least 2 of the 4 s keyed, both calls (keys take ~0.1-1 s)
        Assert.Equal(2, Int(web, "callsHearingEcho"));
        Assert.True(web.GetProperty("toneShareMin").GetDouble() >= 0.5, context);
        await Engine.Health.AssertNoCallsLeftAsync(server);
    }

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();
}
