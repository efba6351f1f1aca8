using FsCheck;
using FsCheck.Fluent;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>Random sequences of arrivals, hangups, logins, pauses, answers, no-answers and clock steps. After every
/// step the scheduler checks its own invariants (it throws on a violation), and an independent model of the call layer
/// built only from the emitted actions checks the promises made to it: an agent is never offered two calls, a call is
/// never bridged to two agents, a hangup during ringing cancels every leg and frees those agents.</summary>
public sealed class QueueSchedulerPropertyTests
{
    private static readonly string[] Agents = ["1001", "1002", "1003", "1004"];
    private static readonly string[] QueueNames = ["sales", "support", "billing", "operator"];

    internal static QueuesConfig Config(bool variant) => new()
    {
        Queues =
        [
            Q("sales", QueueStrategy.RoundRobin, [new("1003"), new("1001", 2)]) with { MaxWait = S(90), Overflow = OverflowTarget.ToQueue("operator") },
            Q("support", QueueStrategy.LongestIdle, [new("1001"), new("1002")]) with
            {
                MaxWait = S(variant ? 40 : 120),
                Overflow = OverflowTarget.ToQueue("operator"),
                WrapUp = S(variant ? 0 : 8),
                Dispositions = ["resolved", "follow-up"],
                DispositionRequired = !variant, // agents wait in wrap-up for a disposition (op 10 sets one)
            },
            Q("billing", QueueStrategy.LongestIdle, [new("1004")]) with { MaxWait = S(60), Overflow = OverflowTarget.TransferTo("1001") },
            Q("operator", variant ? QueueStrategy.RoundRobin : QueueStrategy.RingAll, [.. Agents.Select(a => new QueueMemberConfig(a))]) with
            {
                MaxWait = S(100),
                Overflow = variant ? OverflowTarget.ToQueue("support") : OverflowTarget.Goodbye("en/goodbye"),
            },
        ],
    };

    private static TimeSpan S(int seconds) => TimeSpan.FromSeconds(seconds);

    private static QueueConfig Q(string name, QueueStrategy strategy, QueueMemberConfig[] members) => new()
    {
        Name = name,
        Strategy = strategy,
        Members = members,
        RingTimeout = S(15),
        WrapUp = S(5),
        AnnounceInterval = S(20),
        NoAnswerSkip = S(25),
        PriorityAging = new PriorityAging(S(30), 3),
        DefaultHandleTime = S(60),
    };

    /// <summary>One random step; <see cref="A"/> and <see cref="B"/> pick targets modulo what exists.</summary>
    public sealed record Op(int Kind, int A, int B);

    private static readonly Gen<Op> OpGen =
        Gen.Frequency(
                (6, Gen.Constant(0)), // arrival
                (2, Gen.Constant(1)), // caller hangs up
                (2, Gen.Constant(2)), // login
                (1, Gen.Constant(3)), // logout
                (2, Gen.Constant(4)), // pause
                (2, Gen.Constant(5)), // resume
                (6, Gen.Constant(6)), // ring result
                (3, Gen.Constant(7)), // agent call ended
                (5, Gen.Constant(8)), // time step
                (1, Gen.Constant(9)), // config change
                (2, Gen.Constant(10)), // a callback queued (a restored one may have arrived in the past)
                (2, Gen.Constant(11)), // a waiting or ringing caller chooses a callback
                (2, Gen.Constant(12)), // a callback is deferred (customer not reached: retry later)
                (1, Gen.Constant(13)), // a callback is cancelled (last attempt failed)
                (2, Gen.Constant(14))) // disposition set
            .Zip(Gen.Choose(0, 1000))
            .Zip(Gen.Choose(0, 1000))
            .Select(t => new Op(t.Item1.Item1, t.Item1.Item2, t.Item2));

    private static readonly Arbitrary<Op[]> Scripts =
        Gen.Choose(20, 250).SelectMany(n => OpGen.ArrayOf(n)).ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 400)]
    public Property Invariants_hold_after_every_step_of_random_scripts() =>
        Prop.ForAll(Scripts, script =>
        {
            Run(script, internalChecks: true);
            return true;
        });

    /// <summary>Long runs judged by the external call-layer model alone (the scheduler's own checks are off).</summary>
    [Fact]
    public void Long_seeded_runs_satisfy_the_call_layer_model()
    {
        for (var seed = 0; seed < 25; seed++)
        {
            var rng = new Random(seed);
            var script = Enumerable.Range(0, 2000).Select(_ => new Op(rng.Next(15), rng.Next(1000), rng.Next(1000))).ToArray();
            Run(script, internalChecks: false);
        }
    }

    private static void Run(Op[] script, bool internalChecks)
    {
        var variant = false;
        var h = new QueueHarness(Config(variant), internalChecks);
        var model = new CallLayerModel();
        var nextCall = 0;
        var interactions = new List<string>();
        var callbacks = new List<string>();
        foreach (var op in script)
        {
            QueueCommand command = op.Kind switch
            {
                0 => new CallArrived($"i{++nextCall}", QueueNames[op.A % QueueNames.Length], op.B % 12 == 0 ? 10 : op.B % 3),
                1 => new CallerHungUp(Pick(interactions, op.A) ?? "none"),
                2 => new AgentLoggedIn(Agents[op.A % Agents.Length]),
                3 => new AgentLoggedOut(Agents[op.A % Agents.Length]),
                4 => new AgentPaused(Agents[op.A % Agents.Length], "break"),
                5 => new AgentResumed(Agents[op.A % Agents.Length]),
                6 => new AgentRingResult(model.PickOffer(op.A), (RingOutcome)(op.B % 4 == 3 ? 0 : op.B % 4)),
                7 => new AgentCallEnded(Pick(interactions, op.A) ?? "none"),
                9 => new ConfigChanged(Config(variant = !variant)),
                10 => new CallbackQueued($"cb{++nextCall}", QueueNames[op.A % QueueNames.Length], op.B % 3,
                    h.Time.GetUtcNow().AddSeconds(-(op.B % 200)), op.A % 3 == 0 ? h.Time.GetUtcNow().AddSeconds(op.B % 90) : null,
                    op.A % 5 == 0 ? h.Time.GetUtcNow().AddSeconds(30 + (op.B % 300)) : null),
                11 => new CallerChoseCallback(Pick(interactions, op.A) ?? "none", $"cb{++nextCall}",
                    op.B % 4 == 0 ? h.Time.GetUtcNow().AddSeconds(op.B % 60) : null),
                12 => new CallbackDeferred(Pick(callbacks, op.A) ?? "none", h.Time.GetUtcNow().AddSeconds(op.B % 150)),
                13 => new CallbackCancelled(Pick(callbacks, op.A) ?? "none", "gave up"),
                14 => new DispositionSet(Agents[op.A % Agents.Length], Pick(interactions, op.B) ?? "none"),
                _ => TimerTick.Instance,
            };
            if (command is CallArrived arrived)
            {
                interactions.Add(arrived.InteractionId);
            }
            if (command is CallbackQueued queued)
            {
                callbacks.Add(queued.CallbackId);
            }
            if (command is CallerChoseCallback chose)
            {
                callbacks.Add(chose.CallbackId);
            }
            if (op.Kind == 8)
            {
                h.Time.Advance(TimeSpan.FromSeconds(op.A % 45));
            }
            var before = h.Scheduler.Snapshot();
            // A config change may leave a timer due at once (a shorter max wait): it fires first in the next step.
            var timersDue = h.Scheduler.NextDeadline <= h.Time.GetUtcNow();
            var actions = h.Do(command);
            model.Apply(command, actions);
            CheckStep(h, before, command, actions, timersDue);
        }
    }

    private static string? Pick(List<string> items, int index) =>
        items.Count == 0 ? null : items[items.Count - 1 - (index % Math.Min(items.Count, 12))];

    private static void CheckStep(QueueHarness h, SchedulerSnapshot before, QueueCommand command, IReadOnlyList<QueueAction> actions,
        bool timersDue)
    {
        var after = h.Scheduler.Snapshot();
        // A caller hanging up while agents ring cancels every ringing leg and restores those agents.
        if (command is CallerHungUp hung && before.FindCall(hung.InteractionId) is { State: CallState.Offering } offering
            && h.Time.GetUtcNow() == before.At)
        {
            foreach (var agent in offering.RingingAgents)
            {
                Assert.Contains(actions, a => a is CancelRing c && c.Agent == agent && c.InteractionId == hung.InteractionId
                    && c.Reason == CancelReason.CallerHungUp);
                var state = after.FindAgent(agent)!;
                Assert.True(state.State == AgentState.Available || (state.State == AgentState.Ringing && state.InteractionId != hung.InteractionId),
                    $"agent {agent} was not restored: {state.State}");
            }
            Assert.Contains(actions, a => a is CallAbandoned ab && ab.InteractionId == hung.InteractionId);
        }
        // Snapshot-level cross-checks: ringing/on-call agents match the calls that list them.
        var ringing = after.Queues.SelectMany(q => q.Calls).SelectMany(c => c.RingingAgents).ToList();
        Assert.Equal(ringing.Count, ringing.Distinct().Count());
        var bridged = after.Queues.SelectMany(q => q.Calls).Where(c => c.Agent is not null).Select(c => c.Agent!).ToList();
        Assert.Equal(bridged.Count, bridged.Distinct().Count());
        Assert.Empty(ringing.Intersect(bridged));
        foreach (var a in after.Agents)
        {
            Assert.Equal(a.State == AgentState.Ringing, ringing.Contains(a.Agent));
            Assert.Equal(a.State == AgentState.OnCall, bridged.Contains(a.Agent));
        }
        // A caller who chose a callback leaves no abandon, and the callback stands where the caller stood.
        if (command is CallerChoseCallback chose && actions.OfType<CallbackAccepted>().SingleOrDefault() is { } accepted)
        {
            Assert.DoesNotContain(actions, a => a is CallAbandoned);
            var was = before.FindCall(chose.InteractionId)!;
            var now = after.FindCall(chose.CallbackId);
            Assert.Equal(chose.InteractionId, accepted.FromInteraction);
            if (now is not null && h.Time.GetUtcNow() == before.At && !timersDue)
            {
                Assert.Equal((was.Queue, was.BasePriority, QueueEntryKind.Callback), (now.Queue, now.BasePriority, now.Kind));
                var order = after.Queues.Single(q => q.Name == was.Queue).Calls.Select(c => c.InteractionId)
                    .Select(id => id == chose.CallbackId ? chose.InteractionId : id).ToList();
                var old = before.Queues.Single(q => q.Name == was.Queue).Calls.Select(c => c.InteractionId).ToList();
                Assert.Equal(old.Where(order.Contains), order.Where(old.Contains)); // nobody overtook anybody
            }
        }
        // Callbacks are never abandons, and never overflow.
        Assert.DoesNotContain(actions, a => a is CallAbandoned ab && ab.InteractionId.StartsWith("cb", StringComparison.Ordinal));
        Assert.DoesNotContain(actions, a => a is CallOverflowed ov && ov.InteractionId.StartsWith("cb", StringComparison.Ordinal));
        // Work conservation: no due entry waits while an eligible agent of its queue is idle.
        foreach (var q in after.Queues)
        {
            if (q.Calls.Any(c => c.State == CallState.Waiting && (c.NotBefore is null || c.NotBefore <= after.At)))
            {
                Assert.DoesNotContain(after.Agents, a => a.Queues.Contains(q.Name) && a.State == AgentState.Available && a.SkippedUntil is null);
            }
        }
    }

    /// <summary>What the call layer would believe from the actions alone.</summary>
    private sealed class CallLayerModel
    {
        private readonly Dictionary<long, (string Agent, string Call)> _ringing = [];
        private readonly Dictionary<string, string> _bridgedByAgent = [];
        private readonly Dictionary<string, string> _bridgedByCall = [];
        private readonly List<long> _allOffers = [];

        public long PickOffer(int index) => _allOffers.Count == 0 ? 1 : _allOffers[_allOffers.Count - 1 - (index % Math.Min(_allOffers.Count, 8))];

        public void Apply(QueueCommand command, IReadOnlyList<QueueAction> actions)
        {
            // The phone reported the end of its own leg: the call layer forgets it.
            if (command is AgentRingResult { Outcome: not RingOutcome.Answered } r)
            {
                _ringing.Remove(r.OfferId);
            }
            // The call layer released the agent it had reserved for a callback (customer not reached, or given up).
            if (command is CallbackDeferred or CallbackCancelled
                && actions.All(a => a is not CommandIgnored)
                && (command is CallbackDeferred d ? d.CallbackId : ((CallbackCancelled)command).CallbackId) is var callbackId
                && _bridgedByCall.Remove(callbackId, out var agent))
            {
                _bridgedByAgent.Remove(agent);
            }
            foreach (var action in actions)
            {
                switch (action)
                {
                    case RingAgent ring:
                        Assert.DoesNotContain(_ringing.Values, v => v.Agent == ring.Agent);
                        Assert.False(_bridgedByAgent.ContainsKey(ring.Agent), $"agent {ring.Agent} rung while on a call");
                        Assert.False(_bridgedByCall.ContainsKey(ring.InteractionId), $"call {ring.InteractionId} rung while bridged");
                        _ringing.Add(ring.OfferId, (ring.Agent, ring.InteractionId));
                        _allOffers.Add(ring.OfferId);
                        break;
                    case CancelRing cancel:
                        Assert.True(_ringing.Remove(cancel.OfferId), $"cancel of unknown offer {cancel.OfferId}");
                        break;
                    case BridgeCallToAgent bridge:
                        Assert.True(_ringing.Remove(bridge.OfferId), $"bridge of an offer that is not ringing {bridge.OfferId}");
                        Assert.True(_bridgedByCall.TryAdd(bridge.InteractionId, bridge.Agent), $"call {bridge.InteractionId} bridged twice");
                        Assert.True(_bridgedByAgent.TryAdd(bridge.Agent, bridge.InteractionId), $"agent {bridge.Agent} bridged twice");
                        Assert.DoesNotContain(_ringing.Values, v => v.Call == bridge.InteractionId);
                        break;
                    case ReleaseAgentLeg release:
                        Assert.False(_ringing.ContainsKey(release.OfferId));
                        break;
                    case CallCompleted done:
                        Assert.Equal(done.Agent, _bridgedByCall[done.InteractionId]);
                        _bridgedByCall.Remove(done.InteractionId);
                        _bridgedByAgent.Remove(done.Agent);
                        break;
                    case CallbackRemoved removed:
                        Assert.DoesNotContain(_ringing.Values, v => v.Call == removed.CallbackId);
                        Assert.False(_bridgedByCall.ContainsKey(removed.CallbackId), $"callback {removed.CallbackId} removed while bridged");
                        break;
                    case CallAbandoned or CallOverflowed { Target.Kind: not OverflowKind.Queue }:
                        var id = action is CallAbandoned ab ? ab.InteractionId : ((CallOverflowed)action).InteractionId;
                        Assert.DoesNotContain(_ringing.Values, v => v.Call == id);
                        Assert.False(_bridgedByCall.ContainsKey(id));
                        break;
                }
            }
        }
    }
}
