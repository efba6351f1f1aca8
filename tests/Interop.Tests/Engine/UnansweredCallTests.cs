using System.Diagnostics;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Calls nobody answers: the ring timeout rejects the caller with 480 and CANCELs the ringing phone
/// (RFC 3261 §9.1); SIGTERM while ringing rejects the caller with 503 and CANCELs the phone before exiting 0.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class UnansweredCallTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<UnansweredCallTests>();

    [Fact]
    public async Task RingTimeout_CallerGets480_PhoneIsCancelled()
    {
        await using ServerProcess server = await ServerProcess.StartReadyAsync(ports, output,
            new Dictionary<string, string?> { ["TELEPHONY_SIP__RINGTIMEOUTSECONDS"] = "4" }); // 4 s: room for the phone's 180 on a loaded CI box
        await using BaresipPeer phone = await StartPhoneAsync(server);

        var ringing = Stopwatch.StartNew();
        SippResult call = await Sipp.RunAsync(Engine.FromExtension(server, "uac-status", "1003", "1001", ports.PeerSip(0), ports.PeerMedia(0)) with
        {
            Tokens = Engine.Status(480),
        });
        ringing.Stop();
        string context = $"{call.Describe()}\n{server.Describe()}\nphone:\n{phone.Log.Tail(30)}";

        Assert.True(call.Succeeded, "the caller should get 480 after the ring timeout\n" + context);
        Assert.Contains(180, call.ReceivedStatusCodes);
        Assert.True(ringing.Elapsed < TimeSpan.FromSeconds(9), $"rang for {ringing.Elapsed.TotalSeconds:0.0} s with a 4 s ring timeout\n{context}");
        Assert.True(phone.Log.Contains("Incoming call"), "the phone never rang\n" + context);
        string closed = await phone.WaitForLogAsync("session closed", TimeSpan.FromSeconds(5));
        Assert.Contains("Connection reset by peer", closed, StringComparison.Ordinal); // re's wording for a CANCELled INVITE
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task SigtermWhileRinging_CallerGets503_PhoneIsCancelled_ServerExits0()
    {
        ServerProcess server = await Engine.StartServerAsync(ports, output);
        await using (server)
        {
            await using BaresipPeer phone = await StartPhoneAsync(server);
            await using SippProcess caller = SippProcess.Start(Engine.FromExtension(server, "uac-status", "1003", "1001", ports.PeerSip(0), ports.PeerMedia(0)) with
            {
                Tokens = Engine.Status(503),
            });
            await phone.WaitForLogAsync("Incoming call", TimeSpan.FromSeconds(10));

            var stopping = Stopwatch.StartNew();
            int exitCode = await server.StopAsync(TimeSpan.FromSeconds(15));
            stopping.Stop();
            SippResult call = await caller.WaitAsync();
            string context = $"stopped in {stopping.Elapsed.TotalSeconds:0.00} s, exit {exitCode}\n{call.Describe()}\n{server.Describe()}\nphone:\n{phone.Log.Tail(30)}";

            Assert.True(call.Succeeded, "the ringing caller should get 503 on shutdown\n" + context);
            string closed = await phone.WaitForLogAsync("session closed", TimeSpan.FromSeconds(3));
            Assert.Contains("Connection reset by peer", closed, StringComparison.Ordinal);
            Assert.True(exitCode == 0, "exit code\n" + context);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(5), "the server took too long to stop\n" + context);
        }
    }

    private async Task<BaresipPeer> StartPhoneAsync(ServerProcess server)
    {
        string dir = RepoPaths.NewTempDirectory("unanswered");
        BaresipPeer phone = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = "1003", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
                Account = BaresipPeer.AccountLine("1003", server.SipHostPort, Engine.Password("1003"), autoAnswer: false),
                AudioSourceWav = TestAudio.Tone(440, 2, Path.Combine(dir, "tone.wav")), QuitAfter = TimeSpan.FromSeconds(60),
            },
            output);
        try
        {
            await phone.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await phone.DisposeAsync();
            throw;
        }

        return phone;
    }
}
