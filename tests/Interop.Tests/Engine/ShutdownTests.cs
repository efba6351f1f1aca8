using System.Diagnostics;
using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>Graceful shutdown: SIGTERM during an active call ends it with a BYE (RFC 3261 §15.1.1) and the process exits 0.</summary>
[Collection(PeersCollection.Name)]
public sealed class ShutdownTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<ShutdownTests>();

    [Fact]
    public async Task SigtermDuringEchoCall_CallerGetsBye_ServerExits0Quickly()
    {
        ServerProcess server = await Engine.StartServerAsync(ports, output);
        await using (server)
        {
            string dir = RepoPaths.NewTempDirectory("sigterm");
            PcapSummary pcap = Engine.Pcap(dir, Engine.Speech(dir), digits: string.Empty);
            int media = ports.PeerMedia(0);
            await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), media + 4);
            await using SippProcess caller = SippProcess.Start(Engine.FromTrunk(server, "uac-media", Engine.EchoNumber, ports.PeerSip(0), media) with
            {
                Tokens = new Dictionary<string, string> { ["@PCAP@"] = pcap.Path },
                DefaultPause = TimeSpan.FromSeconds(20), // the server hangs up long before this
            });

            await server.WaitForLogAsync("test call answered", TimeSpan.FromSeconds(10));
            Assert.True(await sink.WaitForPacketsAsync(25, TimeSpan.FromSeconds(3)), "no echo before SIGTERM\n" + sink.Describe());

            var stopping = Stopwatch.StartNew();
            int exitCode = await server.StopAsync(TimeSpan.FromSeconds(15));
            stopping.Stop();
            SippResult call = await caller.WaitAsync();
            string context = $"stopped in {stopping.Elapsed.TotalSeconds:0.00} s, exit {exitCode}\n{call.Describe()}\n{server.Describe()}";
            output.WriteLine(context);

            Assert.Contains("BYE", call.ReceivedRequests);
            Assert.True(call.Succeeded, "the caller should get a BYE and end the call normally\n" + context);
            Assert.True(exitCode == 0, "the server should exit 0 on SIGTERM\n" + context);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), "the server took too long to stop\n" + context);
        }
    }
}
