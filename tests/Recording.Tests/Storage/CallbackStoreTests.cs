using Dapper;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>The callbacks tables (schema 7): saved before they take a place in line, attempts begun only while pending,
/// open attempts interrupted at start-up, one close, and the statistics they feed (callbacksRequested, callbacksCompleted,
/// never an abandon).</summary>
public class CallbackStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static CallbackRecord Web(string id, string number = "+15550000002") => new()
    {
        Id = id,
        Queue = "support",
        Number = number,
        Name = "Ada",
        ArrivedAt = T0,
        RequestedAt = T0,
        Source = "web",
        RequestedBy = "website",
    };

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_web_request_is_saved_once_with_a_visit_of_its_own_and_completes_it(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var store = new CallbackStore(db.Database);
        Assert.True(await store.SaveAsync(Web("cb1"), ownVisit: true));
        Assert.False(await store.SaveAsync(Web("cb1") with { ArrivedAt = T0.AddSeconds(-5) }, ownVisit: true)); // an update
        var saved = await store.GetAsync("cb1");
        Assert.Equal(("Pending", T0.AddSeconds(-5), "cb1", "Ada"), (saved!.Status, saved.ArrivedAt, saved.VisitCallId, saved.Name));
        Assert.Equal(["cb1"], (await store.ListPendingAsync()).Select(c => c.Id));

        Assert.True(await store.BeginAttemptAsync("cb1", 1, "call-1", "1001", T0.AddSeconds(10)));
        await store.EndAttemptAsync("cb1", 1, "Busy", counted: true, T0.AddSeconds(30), retryAt: T0.AddMinutes(2));
        Assert.True(await store.BeginAttemptAsync("cb1", 2, "call-2", "1002", T0.AddMinutes(2)));
        await store.EndAttemptAsync("cb1", 2, "Answered", counted: true, T0.AddMinutes(2).AddSeconds(10), null);
        Assert.True(await store.CloseAsync("cb1", "Completed", "answered on attempt 2", T0.AddMinutes(5), "call-2", "1002"));
        Assert.False(await store.CloseAsync("cb1", "Failed", "late", T0.AddMinutes(6))); // closed once

        var closed = await store.GetAsync("cb1");
        Assert.Equal(("Completed", 2, "call-2", "1002"), (closed!.Status, closed.Attempts, closed.CallId, closed.Agent));
        var attempts = await store.ListAttemptsAsync("cb1");
        Assert.Equal([("call-1", "Busy"), ("call-2", "Answered")], attempts.Select(a => (a.CallId, a.Result!)));
        Assert.False(await store.BeginAttemptAsync("cb1", 3, "call-3", "1001", T0.AddMinutes(7))); // not pending any more
        Assert.Empty(await store.ListPendingAsync());

        var report = await ReportAsync(db);
        Assert.Equal((1, 1, 1, 0), (report.Offered, report.CallbacksRequested, report.CallbacksCompleted, report.Abandoned));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_waiting_caller_that_chose_a_callback_is_counted_by_its_queue_visit_not_as_an_abandon(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var events = new QueueEventStore(db.Database);
        var store = new CallbackStore(db.Database);
        await events.AppendAsync("call-a", "support", QueueEventKind.Entered, T0);
        await store.SaveAsync(Web("cb2") with { Source = "queue", OriginalCallId = "call-a", VisitCallId = "call-a" }, ownVisit: false);
        await events.AppendAsync("call-a", "support", QueueEventKind.CallbackRequested, T0.AddSeconds(40), detail: "callback:cb2");
        await events.CloseVisitsAsync("call-a", T0.AddSeconds(50)); // the caller hangs up after the goodbye
        var pending = await ReportAsync(db);
        Assert.Equal((1, 1, 0, 0, 0), (pending.Offered, pending.CallbacksRequested, pending.CallbacksCompleted, pending.Abandoned, pending.Other));

        await store.BeginAttemptAsync("cb2", 1, "call-b", "1001", T0.AddMinutes(3));
        await store.EndAttemptAsync("cb2", 1, "Answered", counted: true, T0.AddMinutes(3), null);
        await store.CloseAsync("cb2", "Completed", "answered", T0.AddMinutes(8), "call-b", "1001");
        var done = await ReportAsync(db);
        Assert.Equal((1, 1, 1), (done.Offered, done.CallbacksRequested, done.CallbacksCompleted));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_restart_interrupts_open_attempts_and_names_their_pending_callbacks(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var store = new CallbackStore(db.Database);
        await store.SaveAsync(Web("cut"), ownVisit: true);
        await store.SaveAsync(Web("waiting", "+15550000003"), ownVisit: true);
        await store.BeginAttemptAsync("cut", 1, "call-1", "1001", T0.AddSeconds(5)); // the customer may have been called
        Assert.Equal(["cut"], await store.InterruptOpenAttemptsAsync(T0.AddMinutes(1)));
        Assert.Equal("Interrupted", Assert.Single(await store.ListAttemptsAsync("cut")).Result);
        Assert.Empty(await store.InterruptOpenAttemptsAsync(T0.AddMinutes(2)));
        Assert.Equal(["cut", "waiting"], (await store.ListPendingAsync()).Select(c => c.Id).Order());
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_cluster_node_restarting_touches_only_its_own_callbacks_and_a_survivor_adopts_a_dead_nodes(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var nodeA = new CallbackStore(db.Database.ForNode("node-a"));
        var nodeB = new CallbackStore(db.Database.ForNode("node-b"));
        await nodeA.SaveAsync(Web("a-cut"), ownVisit: true);
        await nodeA.SaveAsync(Web("a-waiting", "+15550000003") with { ArrivedAt = T0.AddSeconds(-30) }, ownVisit: true);
        await nodeB.SaveAsync(Web("b-live", "+15550000004") with { ArrivedAt = T0.AddSeconds(10) }, ownVisit: true);
        await nodeA.BeginAttemptAsync("a-cut", 1, "call-a1", "1001", T0.AddSeconds(5));
        await nodeB.BeginAttemptAsync("b-live", 1, "call-b1", "1002", T0.AddSeconds(6));

        // Node A restarting: its own attempt is cut, B's live attempt is not; only A's callbacks go back in A's line.
        Assert.Equal(["a-cut"], await nodeA.InterruptOpenAttemptsAsync(T0.AddMinutes(1)));
        Assert.Null(Assert.Single(await nodeB.ListAttemptsAsync("b-live")).Result);
        Assert.Equal(["a-waiting", "a-cut"], (await nodeA.ListPendingAsync(ownOnly: true)).Select(c => c.Id));
        Assert.Equal(["b-live"], (await nodeB.ListPendingAsync(ownOnly: true)).Select(c => c.Id));
        Assert.Equal(3, (await nodeA.ListPendingAsync()).Count);

        // Node B dies during its attempt while A is calling a customer back: A adopts B's pending callback once, B's open
        // attempt cut, A's own attempt left running.
        await nodeA.BeginAttemptAsync("a-waiting", 1, "call-a2", "1003", T0.AddSeconds(100));
        var (adopted, interrupted) = await nodeA.AdoptAsync("node-b", T0.AddMinutes(2));
        Assert.Null(Assert.Single(await nodeA.ListAttemptsAsync("a-waiting")).Result);
        Assert.Equal(["b-live"], adopted.Select(c => c.Id));
        Assert.Equal(["b-live"], interrupted);
        Assert.Equal("Interrupted", Assert.Single(await nodeA.ListAttemptsAsync("b-live")).Result);
        Assert.Equal(["a-waiting", "a-cut", "b-live"], (await nodeA.ListPendingAsync(ownOnly: true)).Select(c => c.Id));
        var again = await new CallbackStore(db.Database.ForNode("node-c")).AdoptAsync("node-b", T0.AddMinutes(2));
        Assert.Empty(again.Adopted); // taken once
        Assert.Empty((await nodeA.AdoptAsync("node-a", T0.AddMinutes(3))).Adopted); // never from itself
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_never_dialed_attempt_gives_the_attempt_back(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var store = new CallbackStore(db.Database);
        await store.SaveAsync(Web("cb"), ownVisit: true);
        await store.BeginAttemptAsync("cb", 1, "call-1", "1001", T0);
        await store.EndAttemptAsync("cb", 1, "NotDialed", counted: false, T0.AddSeconds(2), T0.AddSeconds(2));
        Assert.Equal(0, (await store.GetAsync("cb"))!.Attempts);
        Assert.True(await store.BeginAttemptAsync("cb", 1, "call-2", "1002", T0.AddSeconds(3)));
        Assert.Equal([1, 1], (await store.ListAttemptsAsync("cb")).Select(a => a.Attempt));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Requests_per_number_are_counted_over_a_window_and_attempt_calls_are_linked(StorageProvider provider)
    {
        using var db = await TestDatabase.CreateAsync(provider);
        var store = new CallbackStore(db.Database);
        await store.SaveAsync(Web("a") with { RequestedAt = T0 }, ownVisit: true);
        await store.SaveAsync(Web("b") with { RequestedAt = T0.AddMinutes(20) }, ownVisit: true);
        await store.SaveAsync(Web("c", "+15550000009") with { RequestedAt = T0.AddMinutes(20) }, ownVisit: true);
        Assert.Equal(1, await store.CountRequestsForNumberAsync("+15550000002", T0.AddMinutes(15)));
        Assert.Equal(2, await store.CountRequestsForNumberAsync("+15550000002", T0));

        var calls = new CallStore(db.Database);
        await calls.StartAsync("call-x", "+15550000002", "+15550000002", T0);
        Assert.True(await store.LinkCallAsync("call-x", "a", "original-call"));
        var record = await calls.GetAsync("call-x");
        Assert.Equal(("a", "original-call"), (record!.CallbackId, record.CallbackOf));
        Assert.Equal(["b", "c"], (await store.ListAsync(T0.AddMinutes(10), T0.AddHours(1))).Select(c => c.Id).Order());
        Assert.Single(await store.ListAsync(T0, T0.AddHours(1), status: "Pending", requestedBy: "website", limit: 1));
    }

    private static async Task<QueueIntervalStats> ReportAsync(TestDatabase db)
    {
        var accumulator = new StatisticsAccumulator(new StatisticsOptions
        {
            TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"),
            Interval = IntervalLength.Day,
            From = T0.AddHours(-2),
            To = T0.AddHours(10),
            Now = T0.AddHours(10),
        });
        await new StatisticsStore(db.Database).ReadQueueVisitsAsync(accumulator, T0.AddHours(-2), T0.AddHours(10));
        return accumulator.Build().QueueTotals.Single(q => q.Queue == "support");
    }
}
