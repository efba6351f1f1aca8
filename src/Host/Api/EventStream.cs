using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Telephony.Cluster.Bus;
using Telephony.Host.Cluster;
using Telephony.Host.Recording;
using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// <c>GET /api/events</c>: the event log as Server-Sent Events (WHATWG HTML §9.2). Each event carries
/// <c>id: &lt;sequence&gt;</c>, <c>event: &lt;type&gt;</c> and a JSON <c>data</c> line. A client that reconnects with
/// <c>Last-Event-ID</c> (or <c>?after=N</c>) first gets every event after that sequence, then the live ones, so it
/// misses nothing; without either it gets live events only (<c>?after=0</c> replays the whole log). It needs a login:
/// supervisors and admins get every event, an agent only its own (<see cref="AgentEventFilter"/>); the stream ends when
/// the session expires or is revoked. On a cluster node whose storage is not shared (SQLite), supervisors and admins also
/// get the other nodes' live events from the cluster bus (<c>event: call.started</c> etc., data with their <c>node</c>, no id).
/// </summary>
public static class EventStream
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly Task Never = new TaskCompletionSource().Task;

    public static async Task RunAsync(HttpContext context, Database database, EventNotifier notifier, ClaimsPrincipal user,
        ConsoleSessions sessions, BusNode bus)
    {
        ConsoleIdentity who = ConsoleIdentity.From(user)!;
        AgentEventFilter? filter = who.SeesAll ? null : new AgentEventFilter(who.User);
        // The other nodes' live events, when they do not share this node's event log (no SSE id: they are not in it).
        BusLiveView? remote = bus.Enabled && bus.View.MergesIntoStream && who.SeesAll ? bus.View : null;
        long remoteAfter = remote?.LastSequence ?? 0;
        var log = new EventLog(database);
        var cancel = context.RequestAborted;
        long after;
        if (long.TryParse(context.Request.Headers["Last-Event-ID"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var lastId))
        {
            after = lastId;
        }
        else if (long.TryParse(context.Request.Query["after"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var fromQuery))
        {
            after = fromQuery;
        }
        else
        {
            after = await log.LastSequenceAsync(cancel);
        }

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.WriteAsync("retry: 2000\n: connected\n\n", cancel);
        await response.Body.FlushAsync(cancel);
        var lastWrite = DateTime.UtcNow;
        var text = new StringBuilder();
        try
        {
            while (!cancel.IsCancellationRequested && sessions.FindById(who.SessionId) is not null)
            {
                var woken = notifier.NextAsync();
                var remoteWoken = remote?.NextAsync() ?? Never;
                var batch = await log.ReadFromAsync(after, BatchSize, cancel);
                if (remote is not null && remote.ReadAfter(remoteAfter) is { Count: > 0 } others)
                {
                    text.Clear();
                    foreach (var (sequence, message) in others)
                    {
                        remoteAfter = sequence;
                        text.Append("event: ").Append(message.Kind).Append('\n')
                            .Append("data: ").Append(RemoteEnvelope(message)).Append("\n\n");
                    }
                    await response.WriteAsync(text.ToString(), cancel);
                    await response.Body.FlushAsync(cancel);
                    lastWrite = DateTime.UtcNow;
                }
                if (batch.Count > 0)
                {
                    text.Clear();
                    foreach (var e in batch)
                    {
                        after = e.Sequence;
                        if (filter is not null && !filter.Allows(e))
                        {
                            continue;
                        }
                        text.Append("id: ").Append(e.Sequence.ToString(CultureInfo.InvariantCulture)).Append('\n')
                            .Append("event: ").Append(e.Type).Append('\n')
                            .Append("data: ").Append(Envelope(e)).Append("\n\n");
                    }
                    if (text.Length > 0)
                    {
                        await response.WriteAsync(text.ToString(), cancel);
                        await response.Body.FlushAsync(cancel);
                        lastWrite = DateTime.UtcNow;
                    }
                    if (batch.Count == BatchSize)
                    {
                        continue;
                    }
                }
                if (DateTime.UtcNow - lastWrite > Heartbeat)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancel);
                    await response.Body.FlushAsync(cancel);
                    lastWrite = DateTime.UtcNow;
                }
                // Woken by our own appends; the poll also catches rows written by others (outbox deliveries, recovery).
                await Task.WhenAny(woken, remoteWoken, Task.Delay(Poll, cancel));
            }
        }
        catch (OperationCanceledException)
        {
            // client went away
        }
    }

    private static string RemoteEnvelope(BusMessage message)
    {
        var e = BusCodec.FromBody<BusLiveEvent>(message);
        return JsonSerializer.Serialize(new { node = message.From, type = message.Kind, callId = e?.CallId, occurredAt = e?.At, payload = message.Body },
            Recording.CallRecorder.JsonText);
    }

    private static string Envelope(StoredEvent e)
    {
        JsonElement payload;
        try
        {
            using var doc = JsonDocument.Parse(e.Payload);
            payload = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            payload = JsonSerializer.SerializeToElement(e.Payload);
        }
        return JsonSerializer.Serialize(new { sequence = e.Sequence, type = e.Type, callId = e.CallId, occurredAt = e.OccurredAt, payload },
            Recording.CallRecorder.JsonText);
    }
}
