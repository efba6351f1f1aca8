using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>Drives a <see cref="QueueScheduler"/> on a fake clock and records every action.</summary>
internal sealed class QueueHarness
{
    public static readonly DateTimeOffset Start = new(2025, 1, 6, 9, 0, 0, TimeSpan.Zero);

    public QueueHarness(params QueueConfig[] queues) : this(new QueuesConfig { Queues = queues })
    {
    }

    public QueueHarness(QueuesConfig config, bool checkInvariants = true)
    {
        Scheduler = new QueueScheduler(config, Time) { CheckInvariantsAfterEachStep = checkInvariants };
    }

    public FakeTimeProvider Time { get; } = new(Start);
    public QueueScheduler Scheduler { get; }
    public List<QueueAction> All { get; } = [];

    /// <summary>A queue with every optional feature off (no aging, wrap-up, max wait, announcements, skip).</summary>
    public static QueueConfig Queue(string name, QueueStrategy strategy, params string[] members) => new()
    {
        Name = name,
        Strategy = strategy,
        Members = [.. members.Select(m => new QueueMemberConfig(m))],
        RingTimeout = TimeSpan.FromSeconds(20),
        WrapUp = TimeSpan.Zero,
        MaxWait = TimeSpan.Zero,
        AnnounceInterval = TimeSpan.Zero,
        NoAnswerSkip = TimeSpan.Zero,
        PriorityAging = PriorityAging.None,
    };

    public IReadOnlyList<QueueAction> Do(QueueCommand command)
    {
        var actions = Scheduler.Process(command);
        All.AddRange(actions);
        return actions;
    }

    public IReadOnlyList<QueueAction> Advance(TimeSpan by)
    {
        Time.Advance(by);
        return Do(TimerTick.Instance);
    }

    public IReadOnlyList<QueueAction> Advance(int seconds) => Advance(TimeSpan.FromSeconds(seconds));

    public IReadOnlyList<QueueAction> Arrive(string id, string queue, int priority = 0) => Do(new CallArrived(id, queue, priority));

    public void Login(params string[] agents)
    {
        foreach (var a in agents)
        {
            Do(new AgentLoggedIn(a));
        }
    }

    public RingAgent LastRing(string agent) => All.OfType<RingAgent>().Last(r => r.Agent == agent);

    public IReadOnlyList<QueueAction> Answer(string agent) => Do(new AgentRingResult(LastRing(agent).OfferId, RingOutcome.Answered));

    public IReadOnlyList<QueueAction> Fail(string agent, RingOutcome outcome = RingOutcome.NoAnswer) =>
        Do(new AgentRingResult(LastRing(agent).OfferId, outcome));

    public AgentState Agent(string agent) => Scheduler.GetAgentState(agent);

    public CallState? Call(string id) => Scheduler.GetCallState(id);

    /// <summary>The agents rung by <paramref name="actions"/>, in order, as "agent:interaction".</summary>
    public static List<string> Rings(IEnumerable<QueueAction> actions) =>
        [.. actions.OfType<RingAgent>().Select(r => $"{r.Agent}:{r.InteractionId}")];
}
