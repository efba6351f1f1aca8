using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;
using Xunit.Abstractions;

namespace Telephony.Calls.Tests.Queues;

/// <summary>
/// An agent's answer that reaches the queue scheduler late (the scheduler's loop runs after the clock has moved on:
/// here a clock jump right after the 200 OK, in production a busy thread pool, bench/README.md "Server problems" 3)
/// still counts at the instant the agent answered: the ring timeout that falls due meanwhile must not cancel a ring
/// that was already answered, and the answer is reported at its own time.
/// </summary>
public sealed class LateAnswerTests(ITestOutputHelper output)
{
    private const string SupportLine = "08001234567";
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

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
        // The ACK leaves before the leg reports its answer to the queue layer: give that report real time to be posted
        // (the scheduler then processes it after the clock jump, which is the case under test; a jump between the ACK
        // and the report is the narrower race of the test below).
        await Task.Delay(200);

        // Well past the queue's 20 s ring timeout in one step, before the scheduler's loop has seen the answer.
        pbx.Time.Advance(TimeSpan.FromSeconds(60));
        var scheduler = pbx.CallCenter!.Queues!.Scheduler;
        var snapshot = await scheduler.GetSnapshotAsync();
        for (var waited = 0; snapshot.FindAgent(name)!.State == AgentState.Ringing && waited < 100; waited++)
        {
            await pbx.TickAsync(Frame); // the answer reaches the scheduler through the call (executor, bridge): let it run
            snapshot = await scheduler.GetSnapshotAsync();
        }

        Assert.Equal(AgentState.OnCall, snapshot.FindAgent(name)!.State);
        Assert.False(phone.Has(m => m is SipRequest { Method: SipMethod.Bye or SipMethod.Cancel }), "the agent who answered is hung up");
        bool NewRing(SipMessage m) => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null && r.CallId != ring.Invite.CallId;
        Assert.False(agent.Has(NewRing) || other.Has(NewRing), "the caller is offered again");
        var answered = Assert.Single(pbx.Observer.QueueEvents, e => e.Call.Id == call.Invite.CallId && e.Event.Kind == QueueEventKind.Answered);
        Assert.Equal(name, answered.Event.Agent);
        Assert.InRange(answered.Event.At, answeredAt.AddSeconds(-1), answeredAt);
    }
    /// <summary>
    /// The narrower race: the queue's ring timeout falls due between the agent's 2xx (sent, or already ACKed by the
    /// server) and the leg reporting its answer to the queue layer, the agent answering exactly at the ring timeout (its
    /// 200 may cross the CANCEL). Whichever the scheduler sees first, the agent's answered dialog never dangles: either
    /// the agent is connected (on call, hears the caller, no BYE), or its dialog gets a BYE (the cancelled ring's answer
    /// released: AgentDialer.Finish, or the 2xx after the CANCEL ACKed and BYEd) and it is not left on call.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_agent_answering_exactly_at_the_ring_timeout_is_bridged_or_gets_a_bye_never_a_dangling_dialog(
        bool afterAck)
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
        ring.AnswerWinsOverCancel(); // a CANCEL from the ring timeout crosses the phone's 200 (no 487 first)
        // Up to just before the queue's 20 s ring timeout (counted from the ring, a few frames before the phone saw it).
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(20) - TimeSpan.FromMilliseconds(100));
        var agentMedia = pbx.RtpPeer();
        ring.Answer(agentMedia.Answer());
        agentMedia.ConnectTo(ring.Invite.Body);
        if (afterAck)
        {
            await phone.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        }
        // The ring timeout falls due now, while the answer is on its way to the queue layer.
        pbx.Time.Advance(TimeSpan.FromMilliseconds(200));
        await pbx.TickAsync(TimeSpan.FromSeconds(3));

        bool ByeToAgent(SipMessage m) => m is SipRequest { Method: SipMethod.Bye } r && r.CallId == ring.Invite.CallId;
        var snapshot = await pbx.CallCenter!.Queues!.Scheduler.GetSnapshotAsync();
        var state = snapshot.FindAgent(name)!.State;
        output.WriteLine($"agent {name}: {(phone.Has(ByeToAgent) ? "released with BYE" : "connected")}, now {state}");
        if (phone.Has(ByeToAgent))
        {
            Assert.NotEqual(AgentState.OnCall, state);
            Assert.DoesNotContain(pbx.Observer.QueueEvents, e => e.Call.Id == call.Invite.CallId
                && e.Event.Kind == QueueEventKind.Answered && e.Event.Agent == name);
        }
        else
        {
            Assert.True(state == AgentState.OnCall, $"agent {name} answered, got no BYE, and is {state}: a dangling dialog");
            var answered = Assert.Single(pbx.Observer.QueueEvents,
                e => e.Call.Id == call.Invite.CallId && e.Event.Kind == QueueEventKind.Answered);
            Assert.Equal(name, answered.Event.Agent);
            // Bridged: the caller's audio reaches the agent.
            callerMedia.Tone(440);
            await pbx.TickAsync(TimeSpan.FromSeconds(1));
            double share = agentMedia.ToneShare(440);
            Assert.True(share > 0.5, $"the agent on call does not hear the caller's 440 Hz ({share:0.00}): not bridged");
        }
    }
}
