using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// <c>Call.WireMedia</c> subscribes a session's events for the session's life; an event of a session no longer attached
/// to the leg it was wired to (<c>leg.Media != session</c>) is dropped there, for every call kind. A bridged call's forks
/// share one session wired to the first fork; when another fork answers the session moves to it (wired again), so
/// without the check each of its events reached the call twice (once under the cancelled first fork).
/// </summary>
public sealed class StaleMediaEventTests
{
    private const string Did = "08001234567"; // the sample trunk's DID goes to 1001 while no IVR answers it

    [Fact]
    public async Task A_key_from_the_second_fork_that_answered_reaches_the_call_once()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var desk = await pbx.RegisteredPhoneAsync("1001");
        var mobile = await pbx.RegisteredPhoneAsync("1001");
        var trunk = pbx.Trunk();
        var callerMedia = pbx.RtpPeer();
        var call = await trunk.CallAsync(Did, callerMedia.Offer());
        var first = await desk.ExpectCallAsync();
        var second = await mobile.ExpectCallAsync();
        var answered = await pbx.AnswerAsync(mobile, second, bridged: false);
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        callerMedia.ConnectTo(ok.Body);
        await desk.ExpectRequestAsync(SipMethod.Cancel, first.Invite.CallId);
        var server = await pbx.CallAsync(call.Invite.CallId!);

        answered.Media.Digit('7');
        await pbx.TickUntilAsync(() => pbx.Observer.Digits.Any(d => d.Call == server && d.Digit == '7'), TimeSpan.FromSeconds(2),
            "the key of the phone that answered reaches the call");
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, pbx.Observer.Digits.Count(d => d.Call == server && d.Digit == '7'));

        await call.ByeAsync();
        await mobile.ExpectRequestAsync(SipMethod.Bye, second.Invite.CallId);
        await pbx.NoCallsLeftAsync();
    }
}
