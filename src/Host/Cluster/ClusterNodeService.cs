using Npgsql;
using Telephony.Cluster.Calls;
using Telephony.Host.Callbacks;
using Telephony.Host.Ivr;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Recording.Storage;

namespace Telephony.Host.Cluster;

/// <summary>
/// A cluster node's liveness and what it does when another node dies (<c>cluster.database</c> set; off otherwise):
/// <list type="bullet">
/// <item>beats in <c>cluster_nodes</c> every <see cref="BeatEvery"/> and writes <see cref="ClusterCallTracker"/>'s queued
/// call changes to <c>cluster_calls</c>;</item>
/// <item>every beat, takes the calls of nodes silent for <see cref="DeadAfter"/> (their media is gone; each call is taken by
/// exactly one survivor) and recovers them: each call record is closed as interrupted (its queue visits closed), and each
/// caller who was waiting in a queue gets a callback at their original place (entry time and priority, through the
/// queues' callback desk) and a <c>cluster_caller_lost</c> alert (through the alert outbox);</item>
/// <item>at start-up, before the first beat, recovers the same way what a previous run of this node left (killed and
/// started again within <see cref="DeadAfter"/>).</item>
/// </list>
/// A node is dead after 3 s without a beat, as a queue lease lapses after 3 s (<see cref="QueueLeaseService"/>): its
/// callers are called back and its queues re-owned within about 4 s.
/// </summary>
public sealed class ClusterNodeService(PbxOptions options, ClusterDatabase? cluster, ClusterCallTracker? tracker, CallCenter center,
    Database database, CallRecorder recorder, CallbackRecovery callbackRecovery, TimeProvider time, ILogger<ClusterNodeService> logger)
    : BackgroundService
{
    /// <summary>Alert kind of a waiting caller lost with a dead node.</summary>
    public const string CallerLostAlert = "cluster_caller_lost";

    /// <summary>Event type of the same.</summary>
    public const string CallerLostEvent = "cluster.caller_lost";

    /// <summary>How often this node beats and looks for dead nodes.</summary>
    public static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(1);

    /// <summary>A node silent this long is dead.</summary>
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(3);

    /// <summary>True when <c>cluster.database</c> is set.</summary>
    public bool Enabled => cluster is not null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        var node = options.Cluster.EffectiveNodeId;
        var store = new ClusterCallStore(cluster!.DataSource);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await cluster.MigrateAsync(stoppingToken).ConfigureAwait(false);
                await RecoverAsync(await store.TakeLeftoversAsync(node, stoppingToken).ConfigureAwait(false), "a previous run of this node",
                    stoppingToken).ConfigureAwait(false);
                // Agent state this node wrote before (a previous run): its scheduler starts afresh (changes queued since follow).
                await new Telephony.Cluster.Agents.ClusterAgentStore(cluster.DataSource).ClearAsync(node, stoppingToken).ConfigureAwait(false);
                await store.BeatAsync(node, stoppingToken).ConfigureAwait(false);
                break;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Cluster node {Node}: database not reachable ({Reason}); retrying in 5 s", node, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken).ConfigureAwait(false);
            }
        }
        logger.LogInformation("Cluster node {Node}: beating every {Beat} s, nodes silent for {Dead} s are recovered", node,
            BeatEvery.TotalSeconds, DeadAfter.TotalSeconds);
        var writer = tracker is null ? Task.CompletedTask : WriteAsync(store, tracker, stoppingToken);
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                await store.BeatAsync(node, stoppingToken).ConfigureAwait(false);
                var orphans = await store.TakeOrphansAsync(node, DeadAfter, stoppingToken).ConfigureAwait(false);
                if (orphans.Count > 0)
                {
                    await RecoverAsync(orphans, "node " + string.Join(", ", orphans.Select(o => o.Node).Distinct(StringComparer.Ordinal)) + " died",
                        stoppingToken).ConfigureAwait(false);
                }
                var rest = BeatEvery - time.GetElapsedTime(started); // a fixed period: a slow round does not delay the next beat
                if (rest > TimeSpan.Zero)
                {
                    await Task.Delay(rest, time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Database trouble (or a storage error while recovering): keep beating; what was taken is logged.
                logger.LogWarning(ex, "Cluster node {Node}: {Reason}", node, ex.Message);
                await Task.Delay(BeatEvery, time, stoppingToken).ConfigureAwait(false);
            }
        }
        await writer.ConfigureAwait(false);
    }

    private async Task WriteAsync(ClusterCallStore store, ClusterCallTracker calls, CancellationToken ct)
    {
        try
        {
            await foreach (var write in calls.Work.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    await write(store, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
                {
                    logger.LogWarning("Cluster calls: a change was not written ({Reason})", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>Closes the records of <paramref name="orphans"/> and calls their waiting callers back, in line order.</summary>
    private async Task RecoverAsync(IReadOnlyList<ClusterCall> orphans, string why, CancellationToken ct)
    {
        if (orphans.Count == 0)
        {
            return;
        }
        var now = time.GetUtcNow();
        var calls = new CallStore(database);
        var visits = new QueueEventStore(database);
        int callbacks = 0;
        // The rows are already taken (deleted): one call that fails must not cost the others their recovery.
        foreach (var call in orphans.Where(o => !o.IsCallback))
        {
            try
            {
                await calls.MarkInterruptedAsync(call.CallId, now, $"node {call.Node} lost", ct).ConfigureAwait(false);
                await visits.CloseVisitsAsync(call.CallId, now, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Cluster: call record {CallId} of node {Node} not closed as interrupted", call.CallId, call.Node);
            }
        }
        foreach (var call in LostCallers.WaitingInOrder(orphans))
        {
            string? callbackId, refusal;
            try
            {
                (callbackId, refusal) = await CallBackAsync(call, now, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Cluster: no callback for {CallId} ({Caller}) lost with node {Node}", call.CallId, call.Caller, call.Node);
                (callbackId, refusal) = (null, ex.Message);
            }
            callbacks += callbackId is null ? 0 : 1;
            recorder.OnCallbackEvent(CallerLostEvent, CallerLostAlert, call.CallId, call.Caller, new Dictionary<string, object?>
            {
                ["callId"] = call.CallId,
                ["caller"] = call.Caller,
                ["queue"] = call.Queue,
                ["priority"] = call.Priority,
                ["enteredAt"] = call.EnteredAt,
                ["node"] = call.Node,
                ["recoveredBy"] = options.Cluster.EffectiveNodeId,
                ["callbackId"] = callbackId,
                ["reason"] = callbackId is null ? "no callback: " + refusal : $"the caller's media was on node {call.Node}, which died",
            }, now);
        }
        logger.LogWarning("Cluster: {Why}: {Calls} call(s) closed as interrupted, {Waiting} waiting caller(s), {Callbacks} called back at their place",
            why, orphans.Count(o => !o.IsCallback), orphans.Count(o => o.IsWaiting && !o.IsCallback), callbacks);
        // The dead node's own pending callbacks (requested before it died) become this node's, at their place.
        foreach (var dead in orphans.Select(o => o.Node).Distinct(StringComparer.Ordinal))
        {
            try
            {
                await callbackRecovery.AdoptAsync(dead, ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Cluster: the pending callbacks of node {Node} were not taken over (they stay pending in storage)", dead);
            }
        }
    }

    private async Task<(string? CallbackId, string? Refusal)> CallBackAsync(ClusterCall call, DateTimeOffset now, CancellationToken ct)
    {
        if (LostCallers.CallbackNumberOf(call.Caller) is not { } number)
        {
            return (null, $"the caller's number '{call.Caller}' cannot be dialed");
        }
        if (center.Queues?.Callbacks is not { } desk)
        {
            return (null, "callbacks are not available on this node");
        }
        var ticket = new CallbackTicket
        {
            Id = LostCallers.CallbackIdOf(call.CallId),
            Queue = call.Queue!,
            Number = number,
            Priority = call.Priority ?? 0,
            ArrivedAt = call.EnteredAt ?? call.StartedAt,
            RequestedAt = now,
            Source = "queue",
            RequestedBy = "cluster:" + options.Cluster.EffectiveNodeId,
            OriginalCallId = call.CallId,
            CallerId = call.Dialed,
            Note = $"lost while waiting: node {call.Node} died",
        };
        var placement = await desk.RequestAsync(ticket, ct).ConfigureAwait(false);
        return placement.Accepted ? (ticket.Id, null) : (null, placement.Error);
    }
}
