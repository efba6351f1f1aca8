using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Storage;

public class StoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Call_record_life_cycle_and_query(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var calls = new CallStore(db.Database);
        await calls.StartAsync("c1", "+15550001", "+15559999", T0);
        Assert.True(await calls.AnswerAsync("c1", T0.AddSeconds(1)));
        Assert.True(await calls.SetIvrAsync("c1", "welcome menu sales", """{"lang":"en"}"""));
        Assert.True(await calls.SetQueueAsync("c1", "sales", 5));
        Assert.True(await calls.SetAgentAsync("c1", "alice", TimeSpan.FromSeconds(30)));
        Assert.True(await calls.EndAsync("c1", T0.AddMinutes(3), CallOutcome.Answered, TimeSpan.FromSeconds(120), null, "BYE", HangupSide.Caller));
        Assert.False(await calls.EndAsync("c1", T0.AddMinutes(4), CallOutcome.Failed, null, null, null, null)); // closed once

        CallRecord call = (await calls.GetAsync("c1"))!;
        Assert.Equal(T0.AddSeconds(1), call.AnsweredAt);
        Assert.Equal(T0.AddMinutes(3), call.EndedAt);
        Assert.Equal("welcome menu sales", call.IvrPath);
        Assert.Equal("""{"lang":"en"}""", call.Variables);
        Assert.Equal(5, call.Priority);
        Assert.Equal(TimeSpan.FromSeconds(30), call.Wait);
        Assert.Equal(TimeSpan.FromSeconds(120), call.TalkTime);
        Assert.Equal(CallOutcome.Answered, call.Outcome);
        Assert.Equal(HangupSide.Caller, call.HangupSide);

        await calls.StartAsync("c2", "+15550002", "+15559999", T0.AddHours(1));
        await calls.EndAsync("c2", T0.AddHours(1).AddSeconds(40), CallOutcome.AbandonedInQueue, null, TimeSpan.FromSeconds(35), "CANCEL", HangupSide.Caller);
        Assert.Equal(["c2", "c1"], (await calls.QueryAsync(new CallQuery())).Select(c => c.Id));
        Assert.Equal(["c1"], (await calls.QueryAsync(new CallQuery { Agent = "alice" })).Select(c => c.Id));
        Assert.Equal(["c2"], (await calls.QueryAsync(new CallQuery { Number = "+15550002" })).Select(c => c.Id));
        Assert.Equal(["c2"], (await calls.QueryAsync(new CallQuery { Outcome = CallOutcome.AbandonedInQueue })).Select(c => c.Id));
        Assert.Equal(["c1"], (await calls.QueryAsync(new CallQuery { From = T0, To = T0.AddMinutes(1) })).Select(c => c.Id));
        Assert.Equal(["c1"], (await calls.QueryAsync(new CallQuery { Offset = 1, Limit = 1 })).Select(c => c.Id));
        Assert.Empty(await calls.ListOpenAsync());
        Assert.True(CallOutcomes.IsMissed(CallOutcome.AbandonedInQueue));
        Assert.False(CallOutcomes.IsMissed(CallOutcome.Answered));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_taken_call_id_gets_a_node_qualified_record_and_no_record_is_lost(StorageProvider provider)
    {
        // Kamailio failed an INVITE over after fr_timer while node-a still answered it: both nodes open a record for the
        // same Call-ID. The first keeps the Call-ID (GET /api/calls/{Call-ID} finds it), the second gets "<Call-ID>~node-b".
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var nodeA = new CallStore(db.Database.ForNode("node-a"));
        var nodeB = new CallStore(db.Database.ForNode("node-b"));
        Assert.Equal("dup@10.0.0.1", await nodeA.StartAsync("dup@10.0.0.1", "+15550001", "9000", T0));
        Assert.Equal("dup@10.0.0.1~node-b", await nodeB.StartAsync("dup@10.0.0.1", "+15550001", "9000", T0.AddSeconds(1)));
        Assert.Equal("dup@10.0.0.1~node-b~2", await nodeB.StartAsync("dup@10.0.0.1", "+15550001", "9000", T0.AddSeconds(2)));
        Assert.True(await nodeB.AnswerAsync("dup@10.0.0.1~node-b", T0.AddSeconds(2)));
        Assert.True(await nodeB.EndAsync("dup@10.0.0.1~node-b", T0.AddSeconds(9), CallOutcome.Answered, TimeSpan.FromSeconds(7), null, "BYE", HangupSide.Caller));
        Assert.True(await nodeA.EndAsync("dup@10.0.0.1", T0.AddSeconds(5), CallOutcome.Answered, null, null, "BYE", HangupSide.Caller));

        Assert.Equal(T0, (await nodeA.GetAsync("dup@10.0.0.1"))!.StartedAt);
        CallRecord second = (await nodeA.GetAsync("dup@10.0.0.1~node-b"))!;
        Assert.Equal(T0.AddSeconds(2), second.AnsweredAt);
        Assert.Equal(3, (await nodeA.QueryAsync(new CallQuery { Number = "+15550001" })).Count);

        var single = new CallStore(db.Database);
        Assert.Equal("solo", await single.StartAsync("solo", "1", "2", T0));
        Assert.Equal("solo~2", await single.StartAsync("solo", "1", "2", T0)); // a Call-ID reused on a single server
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Queue_events_keep_order_per_call_and_queue(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new QueueEventStore(db.Database);
        QueueEventKind[] kinds = [QueueEventKind.Entered, QueueEventKind.AgentRung, QueueEventKind.AgentNoAnswer,
            QueueEventKind.AgentRung, QueueEventKind.Answered, QueueEventKind.Transferred];
        for (int i = 0; i < kinds.Length; i++)
        {
            await store.AppendAsync("c1", "sales", kinds[i], T0.AddSeconds(i), agent: i == 0 ? null : "alice");
        }

        await store.AppendAsync("c2", "support", QueueEventKind.Abandoned, T0);
        Assert.Equal(kinds, (await store.ListByCallAsync("c1")).Select(e => e.Kind));
        Assert.Null((await store.ListByCallAsync("c1"))[0].Agent);
        Assert.Equal(2, (await store.ListByQueueAsync("sales", T0.AddSeconds(1), T0.AddSeconds(3))).Count);
        Assert.Single(await store.ListByQueueAsync("support", T0, T0.AddDays(1)));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Recording_rows_move_through_their_statuses(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new RecordingStore(db.Database);
        long id = await store.StartAsync("c1", "/rec/c1.wav", RecordingFormat.MuLaw, T0);
        Assert.Equal([id], (await store.ListByStatusAsync(RecordingStatus.Recording)).Select(r => r.Id));
        Assert.True(await store.FinishAsync(id, RecordingStatus.Completed, TimeSpan.FromSeconds(61.5), 123_456, "ab12"));
        RecordingEntry row = (await store.GetAsync(id))!;
        Assert.Equal(RecordingFormat.MuLaw, row.Format);
        Assert.Equal(TimeSpan.FromSeconds(61.5), row.Duration);
        Assert.Equal(123_456, row.SizeBytes);
        Assert.Equal("ab12", row.Sha256);
        Assert.Equal(RecordingStatus.Completed, row.Status);
        Assert.Equal(T0, row.StartedAt);
        Assert.True(await store.MarkDeletedAsync(id));
        Assert.False(await store.MarkDeletedAsync(id));
        Assert.Empty(await store.ListNotDeletedAsync());
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Alert_creates_outbox_entries_and_an_event_in_one_go(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var alerts = new AlertStore(db.Database);
        long id = await alerts.CreateAsync(AlertKinds.MissedCall, "c9", "+15550009", """{"caller":"+15550009"}""", T0, ["crm", "chat", "crm"]);
        var outbox = new OutboxStore(db.Database);
        IReadOnlyList<OutboxEntry> due = await outbox.ListDueAsync(T0);
        Assert.Equal(["chat", "crm"], due.Select(e => e.Webhook).Order());
        Assert.All(due, e => Assert.Equal($"alert-{id}", e.IdempotencyKey));
        Assert.False(await outbox.EnqueueAsync("crm", "{}", $"alert-{id}", T0)); // same key twice is ignored
        Assert.Equal(EventTypes.AlertCreated, Assert.Single(await new EventLog(db.Database).ReadFromAsync(0)).Type);
        Alert alert = Assert.Single(await alerts.ListAsync(T0, T0.AddSeconds(1)));
        Assert.Equal("+15550009", alert.Caller);
    }
}
