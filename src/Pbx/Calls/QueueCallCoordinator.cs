using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Calls;

/// <summary>
/// The call layer of the queues (see <c>Queues/README.md</c>, "Contract for the call layer"): owns the
/// <see cref="QueueSchedulerService"/>, turns SIP events into its commands (caller enters or hangs up, agent leg
/// answered or failed, agent registered, feature codes) and executes its actions on <see cref="ApplicationCall"/>s
/// (hold audio, announcements, ring and cancel agents with the interaction data in headers, bridge, release, overflow).
/// </summary>
public sealed partial class QueueCallCoordinator : IAsyncDisposable, IAgentTransfers
{
    /// <summary>Hold audio when a queue names none.</summary>
    public const string DefaultHoldMusic = "en/queue/hold";

    private readonly ConcurrentDictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<long, (Waiter Waiter, AgentLeg Leg)> _offers = new();
    private readonly PromptLibrary _prompts;
    private readonly LocationTable _locations;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private Task? _consumer;
    private long _abandoned;
    private long _overflowed;
    private long _completed;
    private readonly TimeSpan _transferRingTimeout;
    private int _disposed;

    /// <param name="transferRingTimeout">How long an extension named in a transfer rings (default 30 s).</param>
    /// <param name="originator">Where callback calls are originated (with <paramref name="callbackBook"/>: callbacks on).</param>
    /// <param name="callbackBook">Where callbacks are stored (with <paramref name="originator"/>: callbacks on).</param>
    public QueueCallCoordinator(QueueSchedulerService scheduler, QueuesConfig config, PromptLibrary prompts,
        LocationTable locations, ILogger? logger = null, TimeSpan? transferRingTimeout = null, ICallOriginator? originator = null,
        ICallbackBook? callbackBook = null)
    {
        _transferRingTimeout = transferRingTimeout ?? TimeSpan.FromSeconds(30);
        Scheduler = scheduler;
        Config = config;
        _prompts = prompts;
        _locations = locations;
        _logger = logger ?? NullLogger.Instance;
        Callbacks = originator is not null && callbackBook is not null ? new CallbackDesk(this, originator, callbackBook, _logger) : null;
    }

    public QueueSchedulerService Scheduler { get; }
    /// <summary>The queues configuration in force (replaced by <see cref="ApplyConfig"/> when queues.yaml changes).</summary>
    public QueuesConfig Config { get => Volatile.Read(ref _config); private set => Volatile.Write(ref _config, value); }
    private QueuesConfig _config = null!;

    /// <summary>
    /// A new, valid queues.yaml: the scheduler takes it (<see cref="ConfigChanged"/>: queues matched by name, waiting
    /// callers keep their place, a removed queue takes no new callers) and agents newly listed who have a registered
    /// phone are logged in when <see cref="QueuesConfig.LoginOnRegister"/> is on.
    /// </summary>
    public void ApplyConfig(QueuesConfig config)
    {
        var before = Config.Agents().ToHashSet(StringComparer.Ordinal);
        Config = config;
        Scheduler.Post(new ConfigChanged(config));
        if (config.LoginOnRegister)
        {
            foreach (var agent in config.Agents().Where(a => !before.Contains(a)))
            {
                if (_locations.GetBindings(agent).Count > 0)
                {
                    Scheduler.Post(new AgentLoggedIn(agent));
                }
            }
        }
    }

    /// <summary>Callers who hung up while waiting or ringing (since start).</summary>
    public long AbandonedCalls => Interlocked.Read(ref _abandoned);

    /// <summary>Callers who reached a max wait (since start).</summary>
    public long OverflowedCalls => Interlocked.Read(ref _overflowed);

    /// <summary>Bridged queue calls that ended (since start).</summary>
    public long CompletedCalls => Interlocked.Read(ref _completed);

    /// <summary>Starts the scheduler and the action consumer, and follows registrations for agent login.</summary>
    public void Start()
    {
        if (_consumer is not null)
        {
            return;
        }
        Scheduler.Start();
        _consumer = Task.Run(ConsumeAsync);
        _locations.BindingAdded += OnBindingAdded;
        _locations.BindingRemoved += OnBindingGone;
        _locations.BindingExpired += OnBindingGone;
        if (Config.LoginOnRegister)
        {
            foreach (var agent in Config.Agents())
            {
                if (_locations.GetBindings(agent).Count > 0)
                {
                    Scheduler.Post(new AgentLoggedIn(agent));
                }
            }
        }
    }

    /// <summary>
    /// Puts the caller into <see cref="QueueEntry.Queue"/> with hold audio. Completes with Answered (bridged to an
    /// agent), Overflow (max wait with a transfer/hang-up target and <see cref="QueueEntry.HasOverflow"/>: the caller
    /// is handed back) or Rejected. The caller hanging up is reported to the scheduler (abandoned).
    /// </summary>
    public Task<QueueEntryOutcome> EnqueueAsync(ApplicationCall call, QueueEntry entry)
    {
        var waiter = new Waiter(call, entry, Now);
        if (call.IsEnded || !_waiters.TryAdd(call.InteractionId, waiter))
        {
            return Task.FromResult(QueueEntryOutcome.Rejected);
        }
        call.SetProgress(CallOutcome.AbandonedInQueue);
        ReportEntered(waiter);
        call.CallerLeaving += _ => ReportAbandoned(waiter);
        ListenForCallbackKey(waiter);
        call.AgentLeft += (_, _) => ReleaseAgent(call); // the agent hung up first, the caller stays (survey): wrap-up now
        call.AgentParked += OnAgentParked; // a browser agent's page reloaded: hold music until it is back
        call.AgentLost += OnAgentLost; // ... or back to the head of the queue when it is not
        call.StartHold(HoldMusic(entry.Queue));
        _ = call.Ended.ContinueWith(_ => OnCallEnded(waiter), TaskScheduler.Default);
        _logger.LogInformation("Queue {Queue}: caller {Caller} enters (interaction {Interaction}, priority {Priority}, tags [{Tags}], max wait {MaxWait})",
            entry.Queue, call.Caller, call.InteractionId, entry.Priority, string.Join(",", entry.Tags),
            entry.MaxWait is { } own ? own.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s" : "of the queue");
        Scheduler.Post(new CallArrived(call.InteractionId, entry.Queue, entry.Priority, entry.Tags, entry.Data, entry.MaxWait));
        return waiter.Outcome.Task;
    }

    /// <summary>
    /// SIP headers carrying the interaction to the agent's phone: <c>X-Telephony-Interaction</c>, <c>-Priority</c>,
    /// <c>-Queue</c>, <c>-Tags</c> and one <c>X-Telephony-Var-&lt;name&gt;</c> per variable (names reduced to header
    /// token characters, values stripped of line breaks).
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> InteractionHeaders(string interactionId, string? queue,
        int priority, IReadOnlyList<string> tags, IReadOnlyDictionary<string, string> data)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Telephony-Interaction", interactionId),
            new("X-Telephony-Priority", priority.ToString(CultureInfo.InvariantCulture)),
        };
        if (queue is not null)
        {
            headers.Add(new("X-Telephony-Queue", queue));
        }
        headers.Add(new("X-Telephony-Tags", string.Join(",", tags.Select(Clean))));
        foreach (var (name, value) in data.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var token = new string(name.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.').ToArray());
            if (token.Length > 0)
            {
                headers.Add(new("X-Telephony-Var-" + token, Clean(value)));
            }
        }
        return headers;

        static string Clean(string value) => value.Replace('\r', ' ').Replace('\n', ' ').Trim();
    }

    private AudioClip? HoldMusic(string queue)
    {
        var id = Config.Find(queue)?.HoldMusic ?? DefaultHoldMusic;
        return Prompt(id);
    }

    private AudioClip? Prompt(string id)
    {
        var clip = _prompts.TryGet(id.EndsWith(".wav", StringComparison.OrdinalIgnoreCase) ? id : id + ".wav", out var error);
        if (clip is null)
        {
            _logger.LogWarning("Queue prompt {Prompt} unavailable: {Error}", id, error);
        }
        return clip;
    }

    private void OnCallEnded(Waiter waiter)
    {
        StopListeningForCallbackKey(waiter);
        _waiters.TryRemove(new KeyValuePair<string, Waiter>(waiter.Call.InteractionId, waiter));
        if (!waiter.InScheduler)
        {
            return;
        }
        ReportAbandoned(waiter); // no-op when already reported on the caller's BYE, or when connected
        waiter.InScheduler = false;
        Scheduler.Post(waiter.Connected
            ? new AgentCallEnded(waiter.Call.InteractionId)
            : new CallerHungUp(waiter.Call.InteractionId));
        // Not completed for a caller who hung up while waiting: the application learns that from the call itself.
        if (waiter.Connected)
        {
            waiter.Outcome.TrySetResult(QueueEntryOutcome.Answered);
        }
    }

    private void OnAgentParked(ApplicationCall call)
    {
        if (_waiters.TryGetValue(call.InteractionId, out var waiter) && waiter.Connected)
        {
            call.StartHold(HoldMusic(waiter.Queue));
        }
    }

    /// <summary>The parked caller's browser agent did not come back in time: the caller waits again at the head of the
    /// queue (<see cref="AgentLost"/>). Idempotent (a call enqueued twice has two handlers).</summary>
    private void OnAgentLost(ApplicationCall call, string agent)
    {
        if (!_waiters.TryGetValue(call.InteractionId, out var waiter) || !waiter.InScheduler)
        {
            call.Hangup("agent lost (not in a queue any more)");
            return;
        }
        if (!waiter.Connected)
        {
            return;
        }
        waiter.Connected = false;
        call.StartHold(HoldMusic(waiter.Queue));
        _logger.LogInformation("Queue {Queue}: agent {Agent} lost mid-call; {Interaction} back at the head of the queue",
            waiter.Queue, agent, call.InteractionId);
        Scheduler.Post(new AgentLost(call.InteractionId));
    }

    private void OnBindingAdded(object? sender, BindingEventArgs e)
    {
        if (Config is { LoginOnRegister: true } config && config.Agents().Contains(e.Binding.Aor, StringComparer.Ordinal))
        {
            Scheduler.Post(new AgentLoggedIn(e.Binding.Aor));
        }
    }

    private void OnBindingGone(object? sender, BindingEventArgs e)
    {
        if (Config is { LoginOnRegister: true } config && config.Agents().Contains(e.Binding.Aor, StringComparer.Ordinal)
            && _locations.GetBindings(e.Binding.Aor).Count == 0)
        {
            Scheduler.Post(new AgentLoggedOut(e.Binding.Aor));
        }
    }

    /// <summary>Stops following registrations, the scheduler and the consumer. Idempotent.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _locations.BindingAdded -= OnBindingAdded;
        _locations.BindingRemoved -= OnBindingGone;
        _locations.BindingExpired -= OnBindingGone;
        await _stop.CancelAsync().ConfigureAwait(false);
        await Scheduler.DisposeAsync().ConfigureAwait(false);
        if (_consumer is not null)
        {
            try
            {
                await _consumer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
    }

    private sealed class Waiter(ApplicationCall call, QueueEntry entry, DateTimeOffset enteredAt)
    {
        /// <summary>1 once the stay ended in an abandon (reported once).</summary>
        public int Closed;
        public DateTimeOffset EnteredAt { get; } = enteredAt;
        public ApplicationCall Call { get; } = call;
        public QueueEntry Entry { get; } = entry;
        public TaskCompletionSource<QueueEntryOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public volatile bool InScheduler = true;
        public volatile bool Connected;
        public string Queue { get; set; } = entry.Queue;
        /// <summary>The callback offer was announced: the offer key now starts the callback request.</summary>
        public volatile bool CallbackOffered;
        /// <summary>The caller is confirming a callback number (announcements wait; an agent still ends it).</summary>
        public volatile CallbackRequestDialog? Confirming;
        /// <summary>The digit handler listening for the offer key, while subscribed.</summary>
        public Action<ApplicationCall, char>? KeyListener;
    }
}
