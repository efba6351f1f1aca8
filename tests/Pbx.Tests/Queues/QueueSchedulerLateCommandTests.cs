using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>A command processed after the clock moved on is applied at its <see cref="QueueCommand.OccurredAt"/>: the
/// timers due after that instant fire after it (an answer processed late is not beaten by the ring timeout).</summary>
public sealed class QueueSchedulerLateCommandTests
{
    [Fact]
    public void An_answer_dated_before_the_ring_timeout_but_processed_after_it_connects_the_agent()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a", "b") with { WrapUp = TimeSpan.FromSeconds(10) });
        h.Login("a", "b");
        h.Arrive("c1", "q");
        var offer = h.LastRing("a").OfferId;
        h.Time.Advance(TimeSpan.FromSeconds(4));
        var answeredAt = h.Time.GetUtcNow();
        h.Time.Advance(TimeSpan.FromSeconds(176)); // the scheduler's loop runs 3 minutes later

        var actions = h.Do(new AgentRingResult(offer, RingOutcome.Answered) { OccurredAt = answeredAt });

        Assert.Empty(actions.OfType<CancelRing>());
        Assert.Empty(actions.OfType<RingAgent>());
        Assert.Equal("a", Assert.Single(actions.OfType<BridgeCallToAgent>()).Agent);
        var onCall = Assert.Single(actions.OfType<AgentStateChanged>());
        Assert.Equal((AgentState.OnCall, answeredAt), (onCall.To, onCall.At));
        Assert.Equal(AgentState.OnCall, h.Agent("a"));
        Assert.Equal(h.Time.GetUtcNow(), h.Scheduler.Now);
    }

    [Fact]
    public void Without_a_date_the_answer_is_late_and_the_ring_timeout_wins()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a", "b"));
        h.Login("a", "b");
        h.Arrive("c1", "q");
        var offer = h.LastRing("a").OfferId;
        h.Time.Advance(TimeSpan.FromSeconds(25));

        var actions = h.Do(new AgentRingResult(offer, RingOutcome.Answered));

        Assert.Equal(("a", CancelReason.RingTimeout), (actions.OfType<CancelRing>().First().Agent, actions.OfType<CancelRing>().First().Reason));
        Assert.Single(actions.OfType<ReleaseAgentLeg>());
    }

    [Fact]
    public void A_date_after_the_clock_is_applied_now_and_a_date_before_the_last_step_at_the_last_step()
    {
        var h = new QueueHarness(Queue("q", QueueStrategy.RoundRobin, "a"));
        h.Login("a");
        h.Time.Advance(TimeSpan.FromSeconds(30));
        h.Arrive("c1", "q");
        var offer = h.LastRing("a").OfferId;
        var actions = h.Do(new AgentRingResult(offer, RingOutcome.Answered) { OccurredAt = Start });
        Assert.Equal(Start.AddSeconds(30), Assert.Single(actions.OfType<AgentStateChanged>()).At);
        h.Time.Advance(TimeSpan.FromSeconds(5));
        var ended = h.Do(new AgentCallEnded("c1") { OccurredAt = h.Time.GetUtcNow().AddHours(1) });
        Assert.Equal(Start.AddSeconds(35), ended.OfType<AgentStateChanged>().First().At);
    }
}
