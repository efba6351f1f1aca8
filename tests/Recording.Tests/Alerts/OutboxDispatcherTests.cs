using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Recording.Tests.Alerts;

public class OutboxDispatcherTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly WebhookEndpoint Crm = new("crm", new Uri("http://127.0.0.1:9/hook"), "s3cret");
    private static readonly OutboxDispatcherOptions Options = new() { Random = () => 0.5 }; // nominal delays

    [Fact]
    public async Task Fails_three_times_then_delivers_once_across_a_restart()
    {
        using TestDatabase db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(T0);
        const string payload = """{"kind":"missed_call","caller":"+15550001"}""";
        long alertId = await new AlertStore(db.Database).CreateAsync(AlertKinds.MissedCall, "c1", "+15550001", payload, T0, ["crm"]);
        var receiver = new Receiver(failures: 3);

        using (var first = new OutboxDispatcher(db.Database, [Crm], Options, receiver, time))
        {
            Assert.Equal(0, await first.DispatchDueAsync());   // attempt 1: 500
            Assert.Equal(0, await first.DispatchDueAsync());   // not due again yet
            time.Advance(TimeSpan.FromSeconds(5));
            Assert.Equal(0, await first.DispatchDueAsync());   // attempt 2: 500
        }

        Assert.Equal(2, receiver.Requests.Count);

        using var second = new OutboxDispatcher(db.Database, [Crm], Options, receiver, time); // server restarted
        time.Advance(TimeSpan.FromSeconds(9));
        Assert.Equal(0, await second.DispatchDueAsync());      // 10 s backoff not over
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(0, await second.DispatchDueAsync());      // attempt 3: 500
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await second.DispatchDueAsync());      // attempt 4: 200
        for (int i = 0; i < 5; i++)
        {
            time.Advance(TimeSpan.FromHours(1));
            Assert.Equal(0, await second.DispatchDueAsync());
        }

        Assert.Equal(4, receiver.Requests.Count);
        Assert.Equal(1, receiver.Delivered);
        Assert.All(receiver.Requests, r =>
        {
            Assert.Equal(payload, r.Body);
            Assert.Equal($"alert-{alertId}", r.IdempotencyKey);
            Assert.NotNull(r.Timestamp);
            var sentAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(r.Timestamp, System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(WebhookSignature.Verify(System.Text.Encoding.UTF8.GetBytes(r.Body), "s3cret", r.Signature, r.Timestamp,
                sentAt, TimeSpan.Zero));
            Assert.Equal("application/json", r.ContentType);
        });
        Assert.Equal(["1", "2", "3", "4"], receiver.Requests.Select(r => r.Attempt));

        Assert.Empty(await new OutboxStore(db.Database).ListDueAsync(T0.AddYears(1)));
        OutboxEntry entry = (await new OutboxStore(db.Database).GetAsync(1))!;
        Assert.NotNull(entry.DeliveredAt);
        Assert.Equal(4, entry.Attempts);
        Assert.Equal(0, await new OutboxStore(db.Database).CountPendingAsync());
        Assert.Contains(await new EventLog(db.Database).ReadFromAsync(0), e => e.Type == EventTypes.AlertDelivered);
    }

    [Fact]
    public async Task Attempt_cut_by_a_crash_is_retried_after_its_lease_with_the_same_key()
    {
        using TestDatabase db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(T0);
        var outbox = new OutboxStore(db.Database);
        await outbox.EnqueueAsync("crm", "{}", "k1", T0);
        OutboxEntry due = Assert.Single(await outbox.ListDueAsync(T0));
        Assert.True(await outbox.TryClaimAsync(due, T0.AddSeconds(20)));   // a dispatcher claimed it, then died
        Assert.False(await outbox.TryClaimAsync(due, T0.AddSeconds(20)));  // nobody else can take it meanwhile

        var receiver = new Receiver(failures: 0);
        using var dispatcher = new OutboxDispatcher(db.Database, [Crm], Options, receiver, time);
        Assert.Equal(0, await dispatcher.DispatchDueAsync());
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(1, await dispatcher.DispatchDueAsync());
        Assert.Equal("k1", Assert.Single(receiver.Requests).IdempotencyKey);
        Assert.Equal("2", receiver.Requests[0].Attempt);
    }

    [Fact]
    public async Task Unreachable_or_unknown_webhook_stays_pending()
    {
        using TestDatabase db = await TestDatabase.CreateAsync();
        var time = new FakeTimeProvider(T0);
        var outbox = new OutboxStore(db.Database);
        await outbox.EnqueueAsync("crm", "{}", "k1", T0);
        await outbox.EnqueueAsync("removed", "{}", "k2", T0);
        using var dispatcher = new OutboxDispatcher(db.Database, [Crm], Options, new Receiver(failures: int.MaxValue, throws: true), time);
        Assert.Equal(0, await dispatcher.DispatchDueAsync());
        Assert.Equal(2, await outbox.CountPendingAsync());
        OutboxEntry crm = (await outbox.GetAsync(1))!;
        Assert.Equal(T0.AddSeconds(5), crm.NextAttemptAt);
        Assert.Contains("refused", crm.LastError, StringComparison.Ordinal);
        Assert.Contains("not configured", (await outbox.GetAsync(2))!.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_loop_delivers_when_woken_and_stops_on_cancel()
    {
        using TestDatabase db = await TestDatabase.CreateAsync();
        var receiver = new Receiver(failures: 0);
        using var dispatcher = new OutboxDispatcher(db.Database, [Crm], new OutboxDispatcherOptions { PollInterval = TimeSpan.FromMinutes(5) }, receiver);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Task loop = dispatcher.RunAsync(cts.Token);
        await new AlertStore(db.Database).CreateAsync(AlertKinds.MissedCall, "c1", "+1", "{}", DateTimeOffset.UtcNow, ["crm"]);
        dispatcher.Wake();
        while (receiver.Delivered == 0)
        {
            Assert.False(cts.IsCancellationRequested, "not delivered in time");
            await Task.Delay(10);
        }

        await cts.CancelAsync();
        await loop.WaitAsync(TimeSpan.FromSeconds(20));
    }

    private sealed record ReceivedRequest(string Body, string? Signature, string? IdempotencyKey, string? Timestamp, string? Attempt, string? ContentType);

    /// <summary>A webhook receiver that answers 500 (or refuses) the first N requests, then 200.</summary>
    private sealed class Receiver(int failures, bool throws = false) : HttpMessageHandler
    {
        private int _seen;

        public List<ReceivedRequest> Requests { get; } = [];

        public int Delivered { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            string body = await request.Content!.ReadAsStringAsync(cancellationToken);
            lock (Requests)
            {
                Requests.Add(new ReceivedRequest(
                    body,
                    Header(request, WebhookSignature.SignatureHeader),
                    Header(request, WebhookSignature.IdempotencyKeyHeader),
                    Header(request, WebhookSignature.TimestampHeader),
                    Header(request, "X-Telephony-Attempt"),
                    request.Content.Headers.ContentType?.MediaType));
            }

            if (_seen++ < failures)
            {
                if (throws)
                {
                    throw new HttpRequestException("Connection refused");
                }

                return new HttpResponseMessage(HttpStatusCode.InternalServerError);
            }

            Delivered++;
            return new HttpResponseMessage(HttpStatusCode.OK);
        }

        private static string? Header(HttpRequestMessage request, string name) =>
            request.Headers.TryGetValues(name, out IEnumerable<string>? values) ? values.Single() : null;
    }
}
