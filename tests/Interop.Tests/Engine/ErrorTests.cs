namespace Telephony.Interop.Tests.Engine;

/// <summary>Failure responses (RFC 3261 §21.4) and CANCEL (§9) through the server.</summary>
[Collection(PeersCollection.Name)]
public sealed class ErrorTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<ErrorTests>();

    [Theory]
    [InlineData("1003", 480)] // known extension, not registered: Temporarily Unavailable
    [InlineData("5555", 404)] // unknown number: Not Found
    public async Task CallFromExtension_GetsStatus(string number, int status)
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        SippResult call = await Sipp.RunAsync(Engine.FromExtension(server, "uac-status", number, "1002", ports.PeerSip(0), ports.PeerMedia(0)) with
        {
            Tokens = Engine.Status(status),
        });
        Assert.True(call.Succeeded, $"expected {status} for {number}\n{call.Describe()}\n{server.Describe()}");
    }

    [Fact]
    public async Task InviteWithWrongCredentials_Gets403()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        SippResult call = await Sipp.RunAsync(
            Engine.FromExtension(server, "uac-status", Engine.EchoNumber, "1002", ports.PeerSip(0), ports.PeerMedia(0), password: "not-the-password") with
            {
                Tokens = Engine.Status(403),
            });
        Assert.True(call.Succeeded, $"expected 407 then 403\n{call.Describe()}\n{server.Describe()}");
        Assert.Contains(407, call.ReceivedStatusCodes);
    }

    [Fact]
    public async Task CancelWhileRinging_CallerGets487_CalleeGetsCancel_NoCallLeft()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        int calleePort = ports.PeerSip(1);
        using (var registrar = new RawSipClient(server.SipEndPoint, ports.PeerSip(0)))
        {
            List<string> reg = await registrar.RegisterAsync("1004", "pass1004", 120, contact: $"<sip:1004@127.0.0.1:{calleePort}>");
            Assert.True(reg.Count > 0 && SipText.StatusCode(reg[^1]) == 200,
                $"REGISTER 1004: {string.Join(" / ", reg.Select(SipText.StartLine))}\n{server.Describe()}");
        }

        await using SippProcess callee = SippProcess.Start(new SippOptions
        {
            Scenario = "uas-ring-cancel", LocalPort = calleePort, MediaPort = ports.PeerMedia(1), Timeout = TimeSpan.FromSeconds(25),
        });
        await callee.WaitUntilBoundAsync(calleePort);
        SippResult caller = await Sipp.RunAsync(Engine.FromExtension(server, "uac-cancel", "1004", "1002", ports.PeerSip(2), ports.PeerMedia(2)) with
        {
            DefaultPause = TimeSpan.FromSeconds(1),
        });
        SippResult calleeResult = await callee.WaitAsync();

        Assert.True(caller.Succeeded, "caller: INVITE, 180, CANCEL, 200, 487\n" + caller.Describe() + "\ncallee:\n" + calleeResult.Describe() + "\n" + server.Describe());
        Assert.Contains(487, caller.ReceivedStatusCodes);
        Assert.True(calleeResult.Succeeded, "callee leg: INVITE, CANCEL, ACK\n" + calleeResult.Describe() + "\n" + server.Describe());
        Assert.Contains("CANCEL", calleeResult.ReceivedRequests);

        await Task.Delay(500);
        (int status, string body) = await server.GetHealthAsync();
        Assert.Equal(200, status);
        long? calls = Health.ActiveCalls(body);
        output.WriteLine($"/health after CANCEL: {body} (active calls: {calls?.ToString() ?? "not reported"})");
        Assert.True(calls is null or 0, $"server still reports {calls} call(s) after CANCEL: {body}");
    }
}
