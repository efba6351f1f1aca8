using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Host.Recording;

/// <summary>
/// The Host's <see cref="ICallObserver"/>: turns live calls into call records (CDR), event-log entries, recordings
/// (one stereo WAV per answered call, fed by a media tap on the caller's leg) and missed-call alerts. Call-layer
/// threads only enqueue: database work runs on the <see cref="StorageQueue"/>, disk writes on each
/// <see cref="RecordingSink"/>'s writer, and nothing here touches a media loop beyond the non-blocking tap.
/// </summary>
public sealed partial class CallRecorder : ICallObserver
{
    /// <summary>Payloads (event log, alerts, webhooks) as plain JSON: "+15550000001", not "\u002B15550000001".</summary>
    internal static readonly JsonSerializerOptions JsonText = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ConcurrentDictionary<string, CallState> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _finishing = new();
    private readonly ConcurrentDictionary<string, string> _recordIds = new(StringComparer.Ordinal); // Call-ID -> record id, when they differ
    private const int MaxRecordIdAliases = 4096;
    private readonly RecordingSettings _settings;
    private readonly StorageQueue _queue;
    private readonly EventNotifier _notifier;
    private readonly ILogger _logger;
    private readonly CallStore _cdr;
    private readonly EventLog _events;
    private readonly RecordingStore _recordings;
    private readonly AlertStore _alerts;
    private readonly SupervisionStore _supervisions;
    private readonly AgentStateStore _agentStates;
    private readonly CallbackStore _callbacks;
    private readonly string[] _webhookNames;
    private long _completed, _failed, _droppedClosed, _alertsRaised;

    private readonly OutboxDispatcher _outbox;
    private readonly Database _database;

    public CallRecorder(Database database, RecordingSettings settings, StorageQueue queue, EventNotifier notifier,
        OutboxDispatcher outbox, ILogger<CallRecorder> logger, Telephony.Host.Security.IAuditTrail? audit = null)
    {
        _audit = audit;
        _outbox = outbox;
        _settings = settings;
        _queue = queue;
        _notifier = notifier;
        _logger = logger;
        _database = database;
        _cdr = new CallStore(database);
        _events = new EventLog(database);
        _recordings = new RecordingStore(database);
        _alerts = new AlertStore(database);
        _queueEvents = new QueueEventStore(database);
        _supervisions = new SupervisionStore(database);
        _agentStates = new AgentStateStore(database);
        _callbacks = new CallbackStore(database);
        _webhookNames = settings.Webhooks.Select(w => w.Name).ToArray();
    }

    /// <summary>Counters for <c>/health</c>.</summary>
    public RecordingStats Stats
    {
        get
        {
            long activeDropped = 0, active = 0;
            foreach (var state in _calls.Values)
            {
                if (state.Sink is { } sink)
                {
                    active++;
                    activeDropped += sink.DroppedFrames;
                }
            }
            return new RecordingStats(_settings.Enabled, active, Interlocked.Read(ref _completed), Interlocked.Read(ref _failed),
                Interlocked.Read(ref _droppedClosed) + activeDropped, Interlocked.Read(ref _alertsRaised), _queue.Pending);
        }
    }

    public void OnCallStarted(Call call)
    {
        var state = new CallState(call.Id, call.CallerNumber ?? "anonymous", call.DialedNumber ?? "", call.Kind, call.StartedAt);
        _calls[call.Id] = state;
        StoreBatched(() => OpenRecordAsync(state));
        LinkCallbackCall(call);
        Append(EventTypes.CallStarted, call.Id, new { callId = call.Id, caller = state.Caller, dialed = state.Dialed, kind = call.Kind }, state.StartedAt);
    }

    public void OnCallAnswered(Call call, CallLeg caller)
    {
        if (!_calls.TryGetValue(call.Id, out var state))
        {
            return;
        }
        var at = call.AnsweredAt ?? DateTimeOffset.UtcNow;
        StoreBatched(() => _cdr.AnswerAsync(RecordId(state.Id), at));
        Append(EventTypes.CallAnswered, call.Id, new { callId = call.Id, caller = state.Caller, dialed = state.Dialed }, at);
        if (_settings.Enabled && caller.Media is { } media)
        {
            StartRecording(state, at);
            if (state.Sink is { } sink)
            {
                media.SetTap(new MediaTapSink(sink));
            }
        }
    }

    public void OnDigit(Call call, CallLeg leg, char digit)
    {
        // Digits belong to the IVR path (recorded by the IVR layer); nothing to store per digit here.
    }

    public void OnCallEnded(Call call, CallEndInfo info)
    {
        if (!_calls.TryRemove(call.Id, out var state))
        {
            return;
        }
        var (outcome, side) = (info.Outcome, info.Side);
        TimeSpan? talk = TalkStart(call, info) is { } talkFrom ? TalkEnd(call, info) - talkFrom : null;
        StoreBatched(() => _cdr.EndAsync(RecordId(state.Id), info.EndedAt, outcome, talk, null, info.Cause, side));
        if (state.EnteredQueue)
        {
            // Only a call that entered a queue has a visit to close: for every other call this was a transaction
            // (connection, lock, SELECT, commit) per call on the storage queue that changed nothing.
            Store(() => _queueEvents.CloseVisitsAsync(RecordId(state.Id), info.EndedAt));
        }
        CountOutcome(outcome);
        Append(EventTypes.CallEnded, call.Id, new
        {
            callId = call.Id,
            caller = state.Caller,
            dialed = state.Dialed,
            outcome = outcome.ToString(),
            hangupCause = info.Cause,
            hangupSide = side.ToString(),
            status = info.RejectStatus,
            talkMs = talk is { } t ? (long)t.TotalMilliseconds : (long?)null,
        }, info.EndedAt);
        if (CallOutcomes.IsMissed(outcome))
        {
            var payload = JsonSerializer.Serialize(new
            {
                kind = AlertKinds.MissedCall,
                callId = state.Id,
                caller = state.Caller,
                dialed = state.Dialed,
                startedAt = state.StartedAt,
                endedAt = info.EndedAt,
                outcome = outcome.ToString(),
                hangupCause = info.Cause,
            }, JsonText);
            _logger.LogInformation("Missed call {CallId} from {Caller} to {Dialed}: {Outcome} ({Cause})",
                state.Id, state.Caller, state.Dialed, outcome, info.Cause);
            RaiseAlert(AlertKinds.MissedCall, state.Id, state.Caller, payload, info.EndedAt);
        }
        if (state.Sink is not null)
        {
            FinishRecording(state);
        }
    }


    /// <summary>Waits for recordings being closed and for queued database work (shutdown).</summary>
    public async Task FlushAsync(TimeSpan timeout)
    {
        await Task.WhenAny(Task.WhenAll(_finishing.Keys.ToArray()), Task.Delay(timeout)).ConfigureAwait(false);
        await _queue.DrainAsync(timeout).ConfigureAwait(false);
    }

    private void Store(Func<Task> work) => _queue.Enqueue(work);

    /// <summary>Per-call writes that use only <see cref="Database.OpenWriteAsync"/> (the call record's open, answer and
    /// close, events, the recording's row): they run in the storage queue's write batches.</summary>
    private void StoreBatched(Func<Task> work) => _queue.EnqueueBatched(_database, work);

    /// <summary>
    /// Opens the call's record (on the storage queue). When its Call-ID is taken (another cluster node answered the
    /// same INVITE, which the proxy failed over to it as well), the record gets a node-qualified id
    /// (<see cref="CallStore.QualifiedId"/>) and every later write of this call goes to it (<see cref="RecordId"/>).
    /// </summary>
    private async Task OpenRecordAsync(CallState state)
    {
        var recordId = await _cdr.StartAsync(state.Id, state.Caller, state.Dialed, state.StartedAt).ConfigureAwait(false);
        if (!string.Equals(recordId, state.Id, StringComparison.Ordinal))
        {
            if (_recordIds.Count >= MaxRecordIdAliases)
            {
                _recordIds.Clear(); // rare (a duplicate Call-ID); old calls' late writes then go to the Call-ID's record
            }
            _recordIds[state.Id] = recordId;
            _logger.LogWarning("Call {CallId}: a call record with this id exists already (another node answered the same INVITE?); recorded as {RecordId}",
                state.Id, recordId);
        }
    }

    /// <summary>The id of the call record of <paramref name="callId"/>: the Call-ID, unless it was taken at start. Read
    /// on the storage queue (after the record was opened).</summary>
    private string RecordId(string callId) => _recordIds.TryGetValue(callId, out var recordId) ? recordId : callId;

    private void Append(string type, string? callId, object payload, DateTimeOffset at)
    {
        var json = JsonSerializer.Serialize(payload, JsonText);
        StoreBatched(async () =>
        {
            await _events.AppendAsync(type, callId is null ? null : RecordId(callId), json, at).ConfigureAwait(false);
            _notifier.Notify();
        });
    }

    private void RaiseAlert(string kind, string? callId, string? caller, string payloadJson, DateTimeOffset at)
    {
        Interlocked.Increment(ref _alertsRaised);
        _queue.Enqueue(async () =>
        {
            await _alerts.CreateAsync(kind, callId, caller, payloadJson, at, _webhookNames).ConfigureAwait(false);
            _notifier.Notify();
            _outbox.Wake(); // the alert and its outbox entries are stored: deliver now
        });
    }

    private static string FileNameFor(string callId)
    {
        var chars = callId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var name = new string(chars).Trim('.');
        return name.Length == 0 ? "call" : name;
    }

    private string PathFor(string callId, DateTimeOffset at)
    {
        var folder = Path.Combine(_settings.Directory,
            at.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("MM", CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("dd", CultureInfo.InvariantCulture));
        var name = FileNameFor(callId);
        var path = Path.Combine(folder, name + ".wav");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{name}-{n}.wav");
        }
        return path;
    }

    private sealed class CallState(string id, string caller, string dialed, string kind, DateTimeOffset startedAt)
    {
        public string Id { get; } = id;
        public string Caller { get; } = caller;
        public string Dialed { get; } = dialed;
        public string Kind { get; } = kind;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public RecordingSink? Sink { get; set; }
        public string? Path { get; set; }
        public DateTimeOffset RecordingStartedAt { get; set; }
        public long RecordingId { get; set; } // written and read on the storage queue only

        private int _enteredQueue;

        /// <summary>Set once a <c>queue.entered</c> event was queued for storage: the call has a queue visit to close.</summary>
        public bool EnteredQueue
        {
            get => Volatile.Read(ref _enteredQueue) != 0;
            set => Volatile.Write(ref _enteredQueue, value ? 1 : 0);
        }
    }
}
