using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Queues;

/// <summary>
/// An agent's answer that reaches the queue scheduler late (the scheduler's loop runs after the clock has moved on:
/// here a clock jump right after the 200 OK, in production a busy thread pool, bench/README.md "Server problems" 3)
/// still counts at the instant the agent answered: the ring timeout that falls due meanwhile must not cancel a ring
/// that was already answered, and the answer is reported at its own time.
/// </summary>
public sealed class LateAnswerTests
{
    private const string SupportLine = "08001234567";

    [Fact]
    public async Task An_answer_processed_after_the_ring_timeout_still_connects_the_agent_and_is_dated_when_it_happened()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var other = await pbx.RegisteredPhoneAsync("1002");
        var trunk = pbx.Trunk();
        var callerMedia = pbx.RtpPeer();
        var call = await trunk.CallAsync(SupportLine, callerMedia.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        callerMedia.ConnectTo(ok.Body);
        await pbx.TickAsync(TimeSpan.FromSeconds(4));
        callerMedia.Digit('2');
        await pbx.TickUntilAsync(() => agent.Has(m => m is SipRequest { Method: SipMethod.Invite })
            || other.Has(m => m is SipRequest { Method: SipMethod.Invite }), TimeSpan.FromSeconds(30), "an agent's phone rings");
        var (phone, name) = agent.Has(m => m is SipRequest { Method: SipMethod.Invite }) ? (agent, "1001") : (other, "1002");
        var ring = await phone.ExpectCallAsync();
        ring.Ring();
        var agentMedia = pbx.RtpPeer();
        ring.Answer(agentMedia.Answer());
        agentMedia.ConnectTo(ring.Invite.Body);
        await phone.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        DateTimeOffset answeredAt = pbx.Time.GetUtcNow();

        // Well past the queue's 20 s ring timeout in one step, before the scheduler's loop has seen the answer.
        pbx.Time.Advance(TimeSpan.FromSeconds(60));
        await Task.Delay(300);

        var snapshot = await pbx.CallCenter!.Queues!.Scheduler.GetSnapshotAsync();
        Assert.Equal(AgentState.OnCall, snapshot.FindAgent(name)!.State);
        Assert.False(phone.Has(m => m is SipRequest { Method: SipMethod.Bye or SipMethod.Cancel }), "the agent who answered is hung up");
        bool NewRing(SipMessage m) => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null && r.CallId != ring.Invite.CallId;
        Assert.False(agent.Has(NewRing) || other.Has(NewRing), "the caller is offered again");
        var answered = Assert.Single(pbx.Observer.QueueEvents, e => e.Call.Id == call.Invite.CallId && e.Event.Kind == QueueEventKind.Answered);
        Assert.Equal(name, answered.Event.Agent);
        Assert.InRange(answered.Event.At, answeredAt.AddSeconds(-1), answeredAt);
    }
}
