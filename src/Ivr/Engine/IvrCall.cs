using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Stateless;
using Telephony.Ivr.Conditions;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

/// <summary>
/// One caller walking one <see cref="IvrFlow"/> version. Owns a private Stateless machine (states = node ids,
/// <see cref="FiringMode.Queued"/>); the channel reports input through the intent methods <see cref="OnDigit"/>
/// and <see cref="OnHangup"/>. Thread-safe: intents, timer callbacks and channel completions are serialized on a
/// per-call gate, so the machine runs to completion on one thread at a time (never on a media loop).
/// </summary>
public sealed partial class IvrCall
{
    internal const string StartState = "_start";
    internal const string EndState = "_end";

    private readonly object _gate = new();
    private readonly IIvrChannel _channel;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly StateMachine<string, IvrTrigger> _machine;
    private readonly Machine _triggers;
    private readonly Dictionary<string, string> _variables = new(StringComparer.Ordinal);
    private readonly List<string> _tags = [];
    private readonly List<string> _path = [];
    private readonly Dictionary<string, int> _visits = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<IvrCallResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _state = StartState;
    private int _priority;
    private bool _started;
    private bool _hangupPending;

    public IvrCall(IvrFlow flow, IIvrChannel channel, string caller, string called, TimeProvider? timeProvider = null,
        ILogger? logger = null, string? callId = null)
    {
        Flow = flow;
        _channel = channel;
        Caller = caller;
        Called = called;
        CallId = callId;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _machine = new StateMachine<string, IvrTrigger>(() => _state, s => _state = s, FiringMode.Queued);
        _triggers = Configure(_machine, flow, this);
        _machine.OnUnhandledTrigger((state, trigger) =>
            _logger.LogDebug("IVR {CallId}: {Trigger} ignored in node {Node}", CallId, trigger, state));
    }

    /// <summary>The flow version this call started on; a reload does not change it.</summary>
    public IvrFlow Flow { get; }

    public string Caller { get; }
    public string Called { get; }
    public string? CallId { get; }

    /// <summary>The node the call stands on, "_start" before <see cref="Start"/>, "_end" after it left the flow.</summary>
    public string CurrentNode
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public bool IsEnded => _completion.Task.IsCompleted;

    /// <summary>Completes when the call leaves the flow (after the on_end handlers ran).</summary>
    public Task<IvrCallResult> Completion => _completion.Task;

    /// <summary>Raised (under the call's gate) each time a node is entered; the simulator prints the path from it.</summary>
    public event Action<string>? NodeEntered;

    /// <summary>Raised when an input node starts waiting for a new attempt (entry or re-prompt).</summary>
    internal event Action? InputStarted;

    /// <summary>Trace lines about decisions (digits, timeouts, branches); the simulator prints them.</summary>
    internal event Action<string>? Traced;

    /// <summary>A snapshot of variables, path, priority and tags for hand-off to queues and agents.</summary>
    public IvrInteraction Interaction
    {
        get
        {
            lock (_gate)
            {
                return Snapshot();
            }
        }
    }

    /// <summary>Enters the flow's start node.</summary>
    public void Start()
    {
        lock (_gate)
        {
            if (_started)
            {
                return;
            }
            _started = true;
            _machine.Fire(_triggers.Outcome, "start");
        }
    }

    /// <summary>A DTMF key from the caller (RFC 4733 telephone-event or in-band): 0-9, *, #, A-D.</summary>
    public void OnDigit(char digit)
    {
        lock (_gate)
        {
            if (_started && !IsEnded)
            {
                _machine.Fire(_triggers.Digit, digit);
            }
        }
    }

    /// <summary>
    /// The caller hung up (also while waiting in a queue: reported as <see cref="IvrEndReason.CallerHangup"/>).
    /// </summary>
    public void OnHangup()
    {
        lock (_gate)
        {
            if (!IsEnded)
            {
                _started = true;
                _hangupPending = true;
                _machine.Fire(_triggers.Finish, IvrEndReason.CallerHangup);
            }
        }
    }

    private IvrInteraction Snapshot() => new(CallId, Flow.Name, Flow.Version, Caller, Called, _priority, [.. _tags],
        new Dictionary<string, string>(_variables, StringComparer.Ordinal), [.. _path]);

    private string? Lookup(string name) => name switch
    {
        "caller" => Caller,
        "called" => Called,
        "flow" => Flow.Name,
        "language" => Flow.Language,
        "priority" => _priority.ToString(CultureInfo.InvariantCulture),
        "tags" => string.Join(',', _tags),
        _ => _variables.GetValueOrDefault(name),
    };

    private ConditionContext ConditionContext => new(Lookup, Flow.Lists);

    private void Trace(string line) => Traced?.Invoke(line);

    private void AddTags(IEnumerable<string> tags)
    {
        foreach (var tag in tags.Where(t => !_tags.Contains(t)))
        {
            _tags.Add(tag);
        }
    }

    /// <summary>Runs every on_end handler, then completes <see cref="Completion"/>.</summary>
    private void EnterEnd(IvrEndReason reason, string lastNode)
    {
        CancelTimer();
        if (reason != IvrEndReason.CallerHangup)
        {
            StopPlaybackIfPlaying();
        }
        _playGeneration++;
        _waitGeneration++;
        _variables["end_reason"] = SnakeCase(reason);
        _variables["last_node"] = lastNode;
        foreach (var handler in Flow.EndHandlers)
        {
            bool applies;
            try
            {
                applies = handler.When?.Evaluate(ConditionContext) ?? true;
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                applies = false;
            }
            if (!applies)
            {
                continue;
            }
            foreach (var (name, value) in handler.Variables)
            {
                _variables[name] = value;
            }
            AddTags(handler.Tags);
            if (handler.Log is { } message)
            {
                _logger.LogInformation("IVR {CallId} {Flow}: {Message}", CallId, Flow.Name, message);
                Trace("log " + message);
            }
        }
        _logger.LogInformation("IVR {CallId} {Flow} v{Version} ended in {Node}: {Reason}", CallId, Flow.Name, Flow.Version,
            lastNode, reason);
        Trace($"end {SnakeCase(reason)}");
        _completion.TrySetResult(new IvrCallResult(reason, lastNode, Snapshot()));
    }

    internal static string SnakeCase(IvrEndReason reason) => reason switch
    {
        IvrEndReason.CallerHangup => "caller_hangup",
        _ => reason.ToString().ToLowerInvariant(),
    };
}
