using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>The sample support line in process: IVR → menu digit → queue → agent, with audio both ways.</summary>
public sealed class IvrQueueAgentTests
{
    private const string SupportLine = "08001234567";

    [Fact]
    public async Task Caller_presses_2_waits_in_support_and_the_agent_answers_audio_both_ways()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var agentMedia = pbx.RtpPeer();
        var trunk = pbx.Trunk();
        var callerMedia = pbx.RtpPeer();

        var call = await trunk.CallAsync(SupportLine, callerMedia.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        callerMedia.ConnectTo(ok.Body);

        // The greeting and the menu play; 2 = support.
        await pbx.TickAsync(TimeSpan.FromSeconds(4));
        callerMedia.Digit('2');
        await pbx.TickUntilAsync(() => agent.Has(m => m is SipRequest { Method: SipMethod.Invite }), TimeSpan.FromSeconds(30),
            "the agent's phone rings");
        var ring = await agent.ExpectCallAsync();
        Assert.Equal("support", ring.Invite.Headers.Get("X-Telephony-Queue"));
        ring.Ring();
        ring.Answer(agentMedia.Answer());
        agentMedia.ConnectTo(ring.Invite.Body);
        await agent.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);

        callerMedia.Tone(440);
        agentMedia.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(agentMedia.ToneShare(440) > 0.7, $"agent hears the caller: {agentMedia.Describe()}");
        Assert.True(callerMedia.ToneShare(1000) > 0.7, $"caller hears the agent: {callerMedia.ToneShare(1000):F2}");

        await call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, ring.Invite.CallId);
        var ended = await pbx.Observer.EndedAsync(call.Invite.CallId!);
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        var kinds = pbx.Observer.QueueEvents.Where(e => e.Call.Id == call.Invite.CallId).Select(e => e.Event.Kind).ToList();
        Assert.Equal([QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.Answered], kinds);
        Assert.Contains(pbx.Observer.Progress, p => p.Call.Id == call.Invite.CallId && p.Progress.Path.Contains("to-support"));
    }
}
