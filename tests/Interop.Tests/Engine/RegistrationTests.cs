namespace Telephony.Interop.Tests.Engine;

/// <summary>REGISTER (RFC 3261 §10) with digest challenge 401 against the server's registrar.</summary>
[Collection(PeersCollection.Name)]
public sealed class RegistrationTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<RegistrationTests>();

    private BaresipOptions Peer(string dir, string user, string password) => new()
    {
        Name = user, SipPort = ports.PeerSip(0), ControlPort = ports.PeerSip(0) + 2, RtpPortMin = ports.PeerMedia(0),
        Account = BaresipPeer.AccountLine(user, $"127.0.0.1:{ports.Sip}", password, registerSeconds: 600),
        AudioSourceWav = TestAudio.Tone(440, 2, Path.Combine(dir, "tone.wav")),
        QuitAfter = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public async Task Baresip_RightPassword_Gets200With1Binding()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("reg");
        await using BaresipPeer peer = await BaresipPeer.StartAsync(Peer(dir, "1001", "pass1001"), output);
        string line = await peer.WaitForLogAsync("200 OK", TimeSpan.FromSeconds(10));
        Assert.True(line.Contains("[1 binding]", StringComparison.Ordinal), $"registered line: {line}\n{server.Describe()}");
    }

    [Fact]
    public async Task Baresip_WrongPassword_IsRefused()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("reg");
        await using BaresipPeer peer = await BaresipPeer.StartAsync(Peer(dir, "1001", "wrong-password"), output);

        DateTime end = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (DateTime.UtcNow < end && !peer.Log.Contains("403 Forbidden") && peer.Log.CountOf("401 Unauthorized") < 2)
        {
            await Task.Delay(100);
        }

        // Give a wrongly accepting server the chance to show it.
        await Task.Delay(500);
        Assert.False(peer.Log.Contains("200 OK"), $"wrong password was accepted:\n{peer.Log.Tail()}");
        Assert.True(
            peer.Log.Contains("403 Forbidden") || peer.Log.Contains("401 Unauthorized"),
            $"no refusal (403, or 401 again) seen in baresip's log:\n{peer.Log.Tail()}\n{server.Describe()}");
    }

    [Fact]
    public async Task Unregister_WithExpires0_RemovesBinding_ThenCallGets480()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0));

        List<string> reg = await client.RegisterAsync("1001", "pass1001", expires: 60);
        Assert.True(reg.Count > 0 && SipText.StatusCode(reg[^1]) == 200,
            $"REGISTER: {string.Join(" / ", reg.Select(SipText.StartLine))}\n{server.Describe()}");
        Assert.Equal(401, SipText.StatusCode(reg[0]));
        Assert.Contains(SipText.Headers(reg[^1], "Contact"), c => c.Contains($":{ports.PeerSip(0)}", StringComparison.Ordinal));

        List<string> unreg = await client.RegisterAsync("1001", "pass1001", expires: 0);
        Assert.True(unreg.Count > 0 && SipText.StatusCode(unreg[^1]) == 200,
            $"un-REGISTER: {string.Join(" / ", unreg.Select(SipText.StartLine))}\n{server.Describe()}");
        Assert.DoesNotContain(
            SipText.Headers(unreg[^1], "Contact"),
            c => c.Contains($":{ports.PeerSip(0)}", StringComparison.Ordinal) && !c.Contains("expires=0", StringComparison.OrdinalIgnoreCase));

        SippResult call = await Sipp.RunAsync(Engine.FromExtension(server, "uac-status", "1001", "1002", ports.PeerSip(1), ports.PeerMedia(1)) with
        {
            Tokens = Engine.Status(480),
        });
        Assert.True(call.Succeeded, "call to the un-registered 1001 should end with 480\n" + call.Describe() + "\n" + server.Describe());
    }
}
