using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// A phone that answers 487 to our CANCEL and then sends 200 for the same INVITE anyway (its user picked up as the
/// CANCEL arrived): the phone now thinks it has a call, so the 200 is ACKed and the dialog ended with BYE (RFC 3261 §15,
/// §9.1), whatever the INVITE client transaction had already seen.
/// </summary>
public sealed class LateAnswerAfter487Tests
{
    private const string Did = "08001234567"; // the sample trunk's DID goes to 1001 while no IVR answers it

    [Fact]
    public async Task A_cancelled_fork_that_sends_200_after_its_487_gets_ack_and_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var desk = await pbx.RegisteredPhoneAsync("1001");
        var mobile = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var call = await trunk.CallAsync(Did, Sdp.Audio(trunk.Host, 30000));
        var late = await desk.ExpectCallAsync();
        var winner = await mobile.ExpectCallAsync();
        winner.Answer(Sdp.AnswerPcmu(mobile.Host, 31000));
        Assert.Equal(200, (await call.FinalAsync()).StatusCode);
        await desk.ExpectRequestAsync(SipMethod.Cancel, late.Invite.CallId); // the phone answers 487 (SipTestPeer)
        await desk.ExpectRequestAsync(SipMethod.Ack, late.Invite.CallId);    // the ACK of the 487

        late.Answer(Sdp.AnswerPcmu(desk.Host, 31002)); // and then 200 all the same
        await desk.ExpectAsync(m => m is SipRequest { Method: SipMethod.Ack } ack && ack.CallId == late.Invite.CallId
            && ack.To?.Tag == late.Dialog!.LocalTag, "the ACK of the late 200");
        await desk.ExpectRequestAsync(SipMethod.Bye, late.Invite.CallId);

        await call.ByeAsync();
        await mobile.ExpectRequestAsync(SipMethod.Bye, winner.Invite.CallId);
        await pbx.NoCallsLeftAsync();
    }
}
