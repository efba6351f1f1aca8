using Prometheus;
using Telephony.Host.Ivr;
using Telephony.Host.Recording;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Server;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// Prometheus metrics at <c>GET /metrics</c> (text exposition format, prometheus-net). Values are read at scrape time
/// from the server's own counters and a queue snapshot (nothing is counted twice, nothing runs per packet). Names
/// follow the Prometheus conventions: <c>telephony_</c> prefix, base units in the name, <c>_total</c> for counters.
/// The series are listed in docs/metrics.md ("Prometheus").
/// </summary>
public sealed class MetricsEndpoint
{
    private readonly CollectorRegistry _registry = Metrics.NewCustomRegistry();
    private readonly PbxServer _server;
    private readonly CallRecorder _recorder;
    private readonly CallCenter _callCenter;
    private readonly OutboxStore _outbox;
    private readonly Gauge _activeCalls;
    private readonly Counter _setups;
    private readonly Counter _refused;
    private readonly Counter _calls;
    private readonly Gauge _waiting;
    private readonly Gauge _longestWait;
    private readonly Gauge _agents;
    private readonly Counter _tickOverruns;
    private readonly Counter _ticks;
    private readonly Gauge _maxTick;
    private readonly Counter _packets;
    private readonly Counter _drops;
    private readonly Gauge _mediaSessions;
    private readonly Counter _recordingDrops;
    private readonly Gauge _recordingsActive;
    private readonly Gauge _outboxDepth;
    private readonly Gauge _storagePending;

    public MetricsEndpoint(PbxServer server, CallRecorder recorder, CallCenter callCenter, Database database)
    {
        _server = server;
        _recorder = recorder;
        _callCenter = callCenter;
        _outbox = new OutboxStore(database);
        var f = Metrics.WithCustomRegistry(_registry);
        _activeCalls = f.CreateGauge("telephony_active_calls", "Calls in progress.");
        _setups = f.CreateCounter("telephony_call_setups_total", "Calls accepted for routing (setups) since start.");
        _refused = f.CreateCounter("telephony_calls_refused_total", "INVITEs refused with 503 because sip.maxCalls was reached.");
        _calls = f.CreateCounter("telephony_calls_total", "Calls ended since start, by outcome.", "outcome");
        _waiting = f.CreateGauge("telephony_queue_waiting_calls", "Callers in the queue now (waiting or ringing an agent).", "queue");
        _longestWait = f.CreateGauge("telephony_queue_longest_wait_seconds", "Longest current wait in the queue.", "queue");
        _agents = f.CreateGauge("telephony_agents", "Agents by state now.", "state");
        _tickOverruns = f.CreateCounter("telephony_media_tick_overruns_total", "Media loop ticks that overran their 20 ms period.");
        _ticks = f.CreateCounter("telephony_media_ticks_total", "Media loop ticks.");
        _maxTick = f.CreateGauge("telephony_media_tick_max_seconds", "Longest media loop tick so far.");
        _packets = f.CreateCounter("telephony_rtp_packets_total", "RTP packets, by direction (in, out).", "direction");
        _drops = f.CreateCounter("telephony_media_packets_dropped_total", "Media packets dropped, by reason.", "reason");
        _mediaSessions = f.CreateGauge("telephony_media_sessions", "RTP sessions open now.");
        _recordingDrops = f.CreateCounter("telephony_recording_dropped_frames_total", "Recording frames dropped (writer behind).");
        _recordingsActive = f.CreateGauge("telephony_recordings_active", "Recordings being written now.");
        _outboxDepth = f.CreateGauge("telephony_webhook_outbox_pending", "Webhook deliveries not yet delivered (outbox depth).");
        _storagePending = f.CreateGauge("telephony_storage_queue_pending", "Database writes queued and not yet done.");
        _registry.AddBeforeCollectCallback(CollectAsync);
    }

    /// <summary>The registry served at <c>/metrics</c>.</summary>
    public CollectorRegistry Registry => _registry;

    /// <summary>Maps <c>GET /metrics</c> (one call from Program).</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var endpoint = app.Services.GetRequiredService<MetricsEndpoint>();
        // Prometheus scrapes without a login: restrict /metrics at the network (docs/metrics.md §9).
        app.MapMetrics("/metrics", endpoint.Registry).AllowAnonymous();
    }

    private async Task CollectAsync(CancellationToken cancellationToken)
    {
        var calls = _server.Calls;
        _activeCalls.Set(calls.ActiveCalls);
        _setups.IncTo(calls.TotalCalls);
        _refused.IncTo(calls.RefusedOverCapacity);
        foreach (var (outcome, count) in _recorder.CallsByOutcome)
        {
            _calls.WithLabels(outcome.ToString()).IncTo(count);
        }

        MediaEngineStats media = _server.Media.Stats;
        _tickOverruns.IncTo(media.TickOverruns);
        _ticks.IncTo(media.Ticks);
        _maxTick.Set(media.MaxTickDuration.TotalSeconds);
        _packets.WithLabels("in").IncTo(media.PacketsIn);
        _packets.WithLabels("out").IncTo(media.PacketsOut);
        _mediaSessions.Set(media.Sessions);
        foreach (var (reason, count) in media.Dropped)
        {
            _drops.WithLabels(reason.ToString()).IncTo(count);
        }

        RecordingStats recording = _recorder.Stats;
        _recordingDrops.IncTo(recording.DroppedFrames);
        _recordingsActive.Set(recording.Active);
        _storagePending.Set(recording.StoragePending);
        _outboxDepth.Set(await _outbox.CountPendingAsync(cancellationToken).ConfigureAwait(false));

        if (_callCenter.Queues is { } queues)
        {
            SchedulerSnapshot snapshot = await queues.Scheduler.GetSnapshotAsync(cancellationToken).ConfigureAwait(false);
            foreach (QueueSnapshot queue in snapshot.Queues)
            {
                _waiting.WithLabels(queue.Name).Set(queue.Calls.Count(c => c.State is CallState.Waiting or CallState.Offering));
                _longestWait.WithLabels(queue.Name).Set(queue.Calls
                    .Where(c => c.State is CallState.Waiting or CallState.Offering)
                    .Select(c => c.WaitedInQueue.TotalSeconds).DefaultIfEmpty(0).Max());
            }

            foreach (AgentState state in Enum.GetValues<AgentState>())
            {
                _agents.WithLabels(state.ToString()).Set(snapshot.Agents.Count(a => a.State == state));
            }
        }
    }
}
