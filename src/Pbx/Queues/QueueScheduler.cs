using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

/// <summary>The synchronous core that owns all queue and agent state: <see cref="Process"/> applies one command, fires
/// every timer due by the clock, dispatches waiting callers to free agents and returns the actions for the call layer.
/// Not thread-safe by design: exactly one writer (<see cref="QueueSchedulerService"/>'s loop, or a test) calls it.
/// Rules, state tables and formulas: <c>src/Pbx/Queues/README.md</c>.</summary>
public sealed partial class QueueScheduler
{
    /// <summary>A caller is moved between queues by overflow at most this many times, then hung up.</summary>
    public const int MaxOverflowHops = 5;

    private static readonly TimeSpan MinRingTimeout = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IQueueDispatchGate? _gate;
    private readonly HashSet<long> _gatedOffers = [];
    private readonly List<QueueRuntime> _queues = [];
    private readonly Dictionary<string, QueueCall> _calls = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, QueueAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<long, RingLeg> _offers = [];
    private const int EndedOffersRemembered = 4096;
    private readonly Dictionary<long, string> _endedOffers = [];
    private readonly Queue<long> _endedOfferOrder = new();
    private List<QueueAction> _out = [];
    private DateTimeOffset _now;
    private long _nextOfferId;
    private long _nextSequence;
    private int _invariantCheckInterval = 1;
    private int _stepsSinceCheck;

    /// <param name="gate">On a cluster node: the queue owner's assignments (only they are offered); null on a single
    /// server, where this scheduler decides alone.</param>
    public QueueScheduler(QueuesConfig config, TimeProvider? time = null, ILogger? logger = null, IQueueDispatchGate? gate = null)
    {
        _time = time ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _gate = gate;
        _now = _time.GetUtcNow();
        ApplyConfig(config);
    }

    /// <summary>The invariant check interval of production (<see cref="QueueSchedulerService"/>'s default): every
    /// 1024th step, so a broken rule still shows in the log within seconds at load while the O(agents + callers) check
    /// costs next to nothing.</summary>
    public const int ProductionInvariantCheckInterval = 1024;

    /// <summary>Run <see cref="CheckInvariants"/> after every step (the default: tests check every step), or not at all.
    /// Shorthand for <see cref="InvariantCheckInterval"/> 1 or 0.</summary>
    public bool CheckInvariantsAfterEachStep
    {
        get => InvariantCheckInterval == 1;
        init => InvariantCheckInterval = value ? 1 : 0;
    }

    /// <summary>Run <see cref="CheckInvariants"/> after every Nth step (1: every step, the default; 0: never). The
    /// checks are linear in agents + callers; production samples (<see cref="ProductionInvariantCheckInterval"/>).</summary>
    public int InvariantCheckInterval
    {
        get => _invariantCheckInterval;
        init => _invariantCheckInterval = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "must be >= 0");
    }

    public QueuesConfig Config { get; private set; } = QueuesConfig.Empty;

    /// <summary>The scheduler's clock: the time of the last processed step.</summary>
    public DateTimeOffset Now => _now;

    /// <summary>When the next timer falls due (the service loop sleeps until then), or null if none is pending.</summary>
    public DateTimeOffset? NextDeadline => EarliestDeadline();

    /// <summary>Applies <paramref name="command"/> at the current time of the injected clock (or at its
    /// <see cref="QueueCommand.OccurredAt"/> when that is earlier) and returns what the call layer must do, in order.
    /// Timers due before that instant fire first, in chronological order; the timers due between it and now fire after
    /// the command.</summary>
    public IReadOnlyList<QueueAction> Process(QueueCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        _out = [];
        var now = _time.GetUtcNow();
        var at = command.OccurredAt is { } occurred && occurred < now ? occurred : now;
        RunTimersUntil(at);
        if (at > _now)
        {
            _now = at;
        }
        Apply(command);
        Dispatch();
        RunTimersUntil(now);
        if (now > _now)
        {
            _now = now;
        }
        if (_invariantCheckInterval > 0 && ++_stepsSinceCheck >= _invariantCheckInterval)
        {
            _stepsSinceCheck = 0;
            CheckInvariants();
        }
        var result = _out;
        _out = [];
        return result;
    }

    /// <summary>Fires the timers due by now; same as <c>Process(TimerTick.Instance)</c>.</summary>
    public IReadOnlyList<QueueAction> Tick() => Process(TimerTick.Instance);

    private void Apply(QueueCommand command)
    {
        switch (command)
        {
            case TimerTick: break;
            case CallArrived c: OnCallArrived(c); break;
            case CallerHungUp c: OnCallerHungUp(c); break;
            case AgentRingResult c: OnRingResult(c); break;
            case AgentCallEnded c: OnAgentCallEnded(c); break;
            case AgentLost c: OnAgentLost(c); break;
            case AgentLoggedIn c: OnLoggedIn(c); break;
            case AgentLoggedOut c: OnLoggedOut(c); break;
            case AgentPaused c: OnPaused(c); break;
            case AgentResumed c: OnResumed(c); break;
            case DispositionSet c: OnDispositionSet(c); break;
            case ConfigChanged c: ApplyConfig(c.Config); break;
            case CallbackQueued c: OnCallbackQueued(c); break;
            case CallerChoseCallback c: OnCallerChoseCallback(c); break;
            case CallbackDeferred c: OnCallbackDeferred(c); break;
            case CallbackCancelled c: OnCallbackCancelled(c); break;
            default: Ignore(command, $"unknown command {command.GetType().Name}"); break;
        }
    }

    private void Ignore(QueueCommand command, string reason)
    {
        _logger.LogDebug("Queue command {Command} ignored: {Reason}", command, reason);
        _out.Add(new CommandIgnored(command, reason));
    }

    private void ApplyConfig(QueuesConfig config)
    {
        Config = config;
        foreach (var q in config.Queues)
        {
            if (FindQueue(q.Name) is { } existing)
            {
                existing.Configure(q);
                existing.Retired = false;
            }
            else
            {
                _queues.Add(new QueueRuntime(q));
            }
            foreach (var m in q.Members)
            {
                GetOrAddAgent(m.Agent);
            }
        }
        foreach (var agent in _agents.Values.Where(a => a.DispositionPending).ToList())
        {
            if (config.Find(agent.WrapUpQueue ?? "") is not { DispositionRequired: true })
            {
                agent.DispositionPending = false; // the queue no longer asks for one: the wrap-up timer decides again
                if (agent.WrapUpUntil <= _now)
                {
                    LeaveWork(agent);
                }
            }
        }
        foreach (var q in _queues.ToList())
        {
            if (config.Find(q.Name) is null)
            {
                q.Retired = true;
                DropIfRetiredAndEmpty(q);
            }
        }
    }

    private QueueRuntime? FindQueue(string name) => _queues.Find(q => string.Equals(q.Name, name, StringComparison.Ordinal));

    private QueueAgent GetOrAddAgent(string id)
    {
        if (!_agents.TryGetValue(id, out var agent))
        {
            agent = new QueueAgent(id) { IdleSince = _now };
            _agents.Add(id, agent);
        }
        return agent;
    }

    private void DropIfRetiredAndEmpty(QueueRuntime q)
    {
        if (q.Retired && q.Calls.Count == 0)
        {
            _queues.Remove(q);
        }
    }

    private void SetCall(QueueCall call, CallState to)
    {
        if (!CallTransitions.IsAllowed(call.State, to))
        {
            throw new QueueInvariantException($"call {call.InteractionId}: illegal transition {call.State} -> {to}");
        }
        call.State = to;
    }

    private void SetAgent(QueueAgent agent, AgentState to)
    {
        var from = agent.State;
        if (!AgentTransitions.IsAllowed(from, to))
        {
            throw new QueueInvariantException($"agent {agent.Id}: illegal transition {from} -> {to}");
        }
        agent.State = to;
        _out.Add(new AgentStateChanged(agent.Id, from, to, agent.PauseReason, _now));
    }

    private TimeSpan RingTimeoutOf(QueueRuntime q) => q.Config.RingTimeout < MinRingTimeout ? MinRingTimeout : q.Config.RingTimeout;
}
