using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Calls the far end refuses: a busy callee's 486 reaches the caller (RFC 3261 §21.4.24), and an offer without a
/// codec we support is refused with 488 (RFC 3264 §6, RFC 3261 §21.4.26) without creating a call, and a call over
/// <c>sip.maxCalls</c> gets 503 with Retry-After (RFC 3261 §21.5.4) while the calls already up go on.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class RejectionTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<RejectionTests>();

    [Fact]
    public async Task CallToBusyExtension_CalleeAnswers486_CallerGets486()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        int calleePort = ports.PeerSip(1);
        using (var registrar = new RawSipClient(server.SipEndPoint, ports.PeerSip(0)))
        {
            List<string> reg = await registrar.RegisterAsync("1003", Engine.Password("1003"), 120, contact: $"<sip:1003@127.0.0.1:{calleePort}>");
            Assert.True(reg.Count > 0 && SipText.StatusCode(reg[^1]) == 200,
                $"REGISTER 1003: {string.Join(" / ", reg.Select(SipText.StartLine))}\n{server.Describe()}");
        }

        await using SippProcess callee = SippProcess.Start(new SippOptions
        {
            Scenario = "uas-busy", LocalPort = calleePort, MediaPort = ports.PeerMedia(1), Timeout = TimeSpan.FromSeconds(20),
        });
        await callee.WaitUntilBoundAsync(calleePort);
        SippResult caller = await Sipp.RunAsync(Engine.FromExtension(server, "uac-status", "1003", "1002", ports.PeerSip(2), ports.PeerMedia(2)) with
        {
            Tokens = Engine.Status(486),
        });
        SippResult calleeResult = await callee.WaitAsync();
        string context = $"caller:\n{caller.Describe()}\ncallee:\n{calleeResult.Describe()}\n{server.Describe()}";

        Assert.True(caller.Succeeded, "caller should end with 486\n" + context);
        Assert.Equal(486, caller.ReceivedStatusCodes[^1]);
        Assert.True(calleeResult.Succeeded, "callee: INVITE, 486, ACK\n" + context);
        Assert.Equal(["INVITE", "ACK"], calleeResult.ReceivedRequests);
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Theory]
    [InlineData("9000")] // answered by the server itself
    [InlineData("08001234567")] // bridged: refused before any callee is rung
    public async Task InviteOfferingOnlyG729_Gets488(string number)
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0), Engine.TrunkAddress);
        if (number == Engine.Did)
        {
            // Make 1001 reachable so that only the codec can be the reason for refusing.
            using var registrar = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
            List<string> reg = await registrar.RegisterAsync("1001", Engine.Password("1001"), 120);
            Assert.Equal(200, SipText.StatusCode(reg[^1]));
        }

        var call = new RawCall(client, number);
        string? final = await call.InviteAsync(RawCall.Sdp(new IPEndPoint(IPAddress.Parse(Engine.TrunkAddress), ports.PeerMedia(0)), "sendrecv", 18));
        Assert.True(final is not null, "no final response\n" + server.Describe());
        Assert.True(SipText.StatusCode(final!) == 488, $"expected 488, got {SipText.StartLine(final!)}\n{server.Describe()}");
        Assert.Empty(call.ReceivedRequests);
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task CallOverMaxCalls_Gets503WithRetryAfter_CallsUpContinue_NextCallAfterHangupIsAnswered()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output,
            new Dictionary<string, string?> { ["TELEPHONY_SIP__MAXCALLS"] = "1" });
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0), Engine.TrunkAddress);
        string Offer(int n) => RawCall.Sdp(new IPEndPoint(IPAddress.Parse(Engine.TrunkAddress), ports.PeerMedia(n)), "sendrecv", 0);

        var first = new RawCall(client, Engine.EchoNumber);
        string? firstFinal = await first.InviteAsync(Offer(0));
        Assert.True(firstFinal is not null && SipText.StatusCode(firstFinal) == 200, $"first call: {firstFinal}\n{server.Describe()}");

        var second = new RawCall(client, Engine.EchoNumber);
        string? refused = await second.InviteAsync(Offer(2));
        Assert.True(refused is not null && SipText.StatusCode(refused) == 503, $"second call: {refused}\n{server.Describe()}");
        Assert.Contains("Retry-After: 10", refused, StringComparison.OrdinalIgnoreCase);
        (_, string health) = await server.GetHealthAsync();
        Assert.Contains("\"refusedOverCapacity\":1", health, StringComparison.Ordinal);
        Assert.Equal(1, Health.ActiveCalls(health));

        string? bye = await first.ByeAsync();
        Assert.True(bye is not null && SipText.StatusCode(bye) == 200, $"BYE: {bye}");
        await Health.AssertNoCallsLeftAsync(server);
        var third = new RawCall(client, Engine.EchoNumber);
        string? thirdFinal = await third.InviteAsync(Offer(4));
        Assert.True(thirdFinal is not null && SipText.StatusCode(thirdFinal) == 200, $"third call: {thirdFinal}\n{server.Describe()}");
        await third.ByeAsync();
        await server.WaitForLogAsync("At capacity: 1 calls (sip.maxCalls 1)", TimeSpan.FromSeconds(2));
    }
}
