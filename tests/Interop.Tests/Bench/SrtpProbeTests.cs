using System.Text.Json;

namespace Telephony.Interop.Tests.Bench;

/// <summary>
/// The SRTP load bench's caller (<c>bench/srtp.sh</c>), proven in CI at a tiny scale: RtpProbe's calls mode places 5
/// calls from the trunk address to the echo number, 3 of them offering RTP/SAVP with an SDES <c>a=crypto</c>
/// AES_CM_128_HMAC_SHA1_80 (RFC 4568) and protecting/unprotecting with our Srtp library (RFC 3711), 2 plain RTP/AVP.
/// Every call is answered and ended by the probe's BYE, every SRTP packet from the server authenticates, and every
/// call hears its own frames echoed back.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class SrtpProbeTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<SrtpProbeTests>();

    [Fact]
    public async Task Probe_calls_mode_three_srtp_two_plain_calls_to_echo_decrypt_and_hear_their_echo()
    {
        await using ServerProcess server = await ServerProcess.StartReadyAsync(ports, output,
            new Dictionary<string, string?> { ["TELEPHONY_TRUNKS__0__SRTP"] = "optional" });
        string configuration = new DirectoryInfo(RepoPaths.TestBinDirectory).Parent!.Name; // bin/<Configuration>/net10.0/
        string probe = Path.Combine(RepoPaths.Root, "bench", "RtpProbe", "bin", configuration, "net10.0", "Telephony.RtpProbe.dll");
        Assert.True(File.Exists(probe), $"RtpProbe not built: {probe}");

        await using ChildProcess run = ChildProcess.Start("rtp-probe", "dotnet",
        [
            probe, "calls", "--server", server.SipHostPort, "--local", "127.0.0.2", "--sip-port", ports.PeerSip(0).ToString(Inv),
            "--rtp-port", ports.PeerMedia(0).ToString(Inv), "--number", "9000", "--calls", "5", "--srtp", "3",
            "--seconds", "3", "--rate", "10", "--timeout", "40",
        ]);
        Assert.True(await run.WaitForExitAsync(TimeSpan.FromSeconds(45)), "the probe did not finish\n" + run.Output.Tail(20));
        string context = $"probe exit {run.ExitCode}:\n{run.Output.Tail(20)}\n{server.Describe()}";
        string json = run.Output.Snapshot().LastOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException("no JSON\n" + context);
        output.WriteLine(json);
        using JsonDocument result = JsonDocument.Parse(json);
        JsonElement srtp = result.RootElement.GetProperty("srtp"), plain = result.RootElement.GetProperty("plain");

        Assert.True(run.ExitCode == 0, context);
        Assert.Equal((3, 3, 0), (Int(srtp, "calls"), Int(srtp, "completed"), Int(srtp, "failed")));
        Assert.Equal((2, 2, 0), (Int(plain, "calls"), Int(plain, "completed"), Int(plain, "failed")));
        Assert.Equal(0, Int(srtp, "authFailures"));
        Assert.Equal(0, Int(srtp, "otherUnprotectErrors"));
        Assert.True(Int(srtp, "unprotectOk") >= 3 * 3 * 50 * 0.8, context);   // 3 calls x 3 s x 50 packets/s, decrypted
        Assert.Equal(Int(srtp, "unprotectOk"), Int(srtp, "packetsReturned"));
        Assert.Equal(3, Int(srtp, "callsHearingEcho"));
        Assert.Equal(2, Int(plain, "callsHearingEcho"));
        Assert.True(srtp.GetProperty("returnedPercent").GetDouble() >= 80, context);
        await Engine.Health.AssertNoCallsLeftAsync(server);
    }

    private static readonly IFormatProvider Inv = System.Globalization.CultureInfo.InvariantCulture;

    private static int Int(JsonElement e, string name) => e.GetProperty(name).GetInt32();
}
