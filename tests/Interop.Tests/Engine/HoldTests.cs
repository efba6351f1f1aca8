using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Hold and unhold by re-INVITE (RFC 3264 §8.4, RFC 6337 §5.3) during an echo call driven by a scripted UAC from the
/// trunk: a=sendonly is answered a=recvonly and the server stops sending; a=sendrecv resumes; an offer-less
/// re-INVITE (RFC 3261 §14.1) gets our SDP as the offer in the 200.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class HoldTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<HoldTests>();

    [Fact]
    public async Task EchoCall_ReInviteSendOnly_IsHeld_SendRecvResumes_OfferlessReInviteGetsOurOffer()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("hold");
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0), Engine.TrunkAddress);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), ports.PeerMedia(0));
        var call = new RawCall(client, Engine.EchoNumber);
        string Context() => $"{sink.Describe()}\nrequests from server: {string.Join(", ", call.ReceivedRequests)}\n{server.Describe()}";

        string? ok = await call.InviteAsync(RawCall.Sdp(sink.EndPoint));
        Assert.True(ok is not null && SipText.StatusCode(ok) == 200, $"INVITE 9000: {(ok is null ? "no answer" : SipText.StartLine(ok))}\n{Context()}");
        IPEndPoint? serverMedia = RawCall.MediaEndPoint(RawCall.Body(ok!));
        Assert.True(serverMedia is not null, "no media address in the 200's SDP\n" + ok);
        short[] tone = WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "tone.wav"))).Mono();
        await using var talker = new RtpSender(sink, serverMedia!, tone);

        Assert.True(await sink.WaitForPacketsAsync(40, TimeSpan.FromSeconds(3)), "no echo before hold\n" + Context());

        // Hold: we only send; the server must answer recvonly and stop sending to us.
        string? held = await call.ReInviteAsync(RawCall.Sdp(sink.EndPoint, "sendonly"));
        Assert.True(held is not null && SipText.StatusCode(held) == 200, $"hold re-INVITE: {(held is null ? "no answer" : SipText.StartLine(held))}\n{Context()}");
        await call.AckAsync();
        string heldSdp = RawCall.Body(held!);
        Assert.Contains("a=recvonly", heldSdp, StringComparison.Ordinal);
        await Task.Delay(300); // packets already in flight
        int atHold = sink.PacketCount;
        await Task.Delay(1500);
        int duringHold = sink.PacketCount - atHold;
        Assert.True(duringHold <= 2, $"server kept sending while held: {duringHold} packets in 1.5 s\n{Context()}");

        // Unhold.
        string? resumed = await call.ReInviteAsync(RawCall.Sdp(sink.EndPoint, "sendrecv"));
        Assert.True(resumed is not null && SipText.StatusCode(resumed) == 200, $"unhold re-INVITE: {(resumed is null ? "no answer" : SipText.StartLine(resumed))}\n{Context()}");
        await call.AckAsync();
        Assert.Contains("a=sendrecv", RawCall.Body(resumed!), StringComparison.Ordinal);
        int atResume = sink.PacketCount;
        Assert.True(await sink.WaitForPacketsAsync(atResume + 40, TimeSpan.FromSeconds(3)), "RTP did not resume after unhold\n" + Context());

        // Offer-less re-INVITE: the 200 carries our offer, the ACK our answer.
        string? reoffer = await call.ReInviteAsync(null);
        Assert.True(reoffer is not null && SipText.StatusCode(reoffer) == 200, $"offer-less re-INVITE: {(reoffer is null ? "no answer" : SipText.StartLine(reoffer))}\n{Context()}");
        string offer = RawCall.Body(reoffer!);
        Assert.Equal("application/sdp", SipText.Header(reoffer!, "Content-Type"));
        Assert.Contains("m=audio", offer, StringComparison.Ordinal);
        Assert.Contains("PCMU/8000", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("a=recvonly", offer, StringComparison.Ordinal);
        Assert.DoesNotContain("a=inactive", offer, StringComparison.Ordinal);
        Assert.Equal(serverMedia, RawCall.MediaEndPoint(offer));
        await call.AckAsync(RawCall.Sdp(sink.EndPoint, "sendrecv"));
        int atReoffer = sink.PacketCount;
        Assert.True(await sink.WaitForPacketsAsync(atReoffer + 40, TimeSpan.FromSeconds(3)), "RTP stopped after the offer-less re-INVITE\n" + Context());

        double share = AudioAnalysis.ToneShare(sink.Audio, 1000);
        Assert.True(share >= 0.5, $"the echo should be our 1 kHz tone: share {share:0.00}\n{Context()}");

        output.WriteLine($"held: {duringHold} packets in 1.5 s; {Context()}");
        string? bye = await call.ByeAsync();
        Assert.True(bye is not null && SipText.StatusCode(bye) == 200, $"BYE: {(bye is null ? "no answer" : SipText.StartLine(bye))}\n{Context()}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task InactiveHoldLongerThanRtpTimeout_CallSurvives_OfferlessReInviteOffersSendRecv_AckAnswerMovesMedia()
    {
        await using ServerProcess server = await ServerProcess.StartReadyAsync(ports, output,
            new Dictionary<string, string?> { ["TELEPHONY_RTP__TIMEOUTSECONDS"] = "2" });
        string dir = RepoPaths.NewTempDirectory("hold-inactive");
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0), Engine.TrunkAddress);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), ports.PeerMedia(0));
        await using var moved = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), ports.PeerMedia(0) + 2);
        var call = new RawCall(client, Engine.EchoNumber);
        string Context() => $"{sink.Describe()}\nmoved: {moved.Describe()}\nrequests from server: {string.Join(", ", call.ReceivedRequests)}\n{server.Describe()}";

        string? ok = await call.InviteAsync(RawCall.Sdp(sink.EndPoint));
        Assert.True(ok is not null && SipText.StatusCode(ok) == 200, $"INVITE 9000: {(ok is null ? "no answer" : SipText.StartLine(ok))}\n{Context()}");
        IPEndPoint serverMedia = RawCall.MediaEndPoint(RawCall.Body(ok!))!;
        short[] tone = WavFile.Read(TestAudio.Tone(1000, 1, Path.Combine(dir, "tone.wav"))).Mono();
        await using (var talker = new RtpSender(sink, serverMedia, tone))
        {
            Assert.True(await sink.WaitForPacketsAsync(40, TimeSpan.FromSeconds(3)), "no echo before hold\n" + Context());
        }

        // Hold with a=inactive: nobody sends, for longer than the RTP timeout. The call must stay up.
        string? held = await call.ReInviteAsync(RawCall.Sdp(sink.EndPoint, "inactive"));
        Assert.True(held is not null && SipText.StatusCode(held) == 200, $"hold re-INVITE: {(held is null ? "no answer" : SipText.StartLine(held))}\n{Context()}");
        await call.AckAsync();
        Assert.Contains("a=inactive", RawCall.Body(held!), StringComparison.Ordinal);
        Assert.False(await call.WaitForRequestAsync("BYE", TimeSpan.FromSeconds(3.5)), "the server hung up a held (inactive) call\n" + Context());

        // Offer-less re-INVITE: the server offers what it wants (sendrecv), not its last answer (inactive).
        string? reoffer = await call.ReInviteAsync(null);
        Assert.True(reoffer is not null && SipText.StatusCode(reoffer) == 200, $"offer-less re-INVITE: {(reoffer is null ? "no answer" : SipText.StartLine(reoffer))}\n{Context()}");
        string offer = RawCall.Body(reoffer!);
        Assert.False(offer.Contains("a=inactive", StringComparison.Ordinal) || offer.Contains("a=recvonly", StringComparison.Ordinal) ||
                     offer.Contains("a=sendonly", StringComparison.Ordinal), "the re-offer should be sendrecv:\n" + offer);

        // Our answer in the ACK moves our media to another port; the server must follow it.
        await call.AckAsync(RawCall.Sdp(moved.EndPoint, "sendrecv"));
        await using (var talker = new RtpSender(moved, RawCall.MediaEndPoint(offer)!, tone))
        {
            Assert.True(await moved.WaitForPacketsAsync(40, TimeSpan.FromSeconds(3)), "no RTP at the address given in the ACK's answer\n" + Context());
        }

        Assert.True(server.Log.Contains("answer in ACK"), "the server did not apply the answer in the ACK\n" + Context());
        Assert.False(call.ReceivedRequests.Any(r => r.StartsWith("BYE", StringComparison.Ordinal)), "unexpected BYE\n" + Context());
        string? bye = await call.ByeAsync();
        Assert.True(bye is not null && SipText.StatusCode(bye) == 200, $"BYE: {(bye is null ? "no answer" : SipText.StartLine(bye))}\n{Context()}");
    }
}
