using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Storage;

/// <summary>A write batch reuses one command per statement text: each row still gets its own values, a null among them.</summary>
public class WriteBatchTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 8, 1, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Writes_in_a_batch_reuse_one_command_per_statement_and_bind_each_rows_values()
    {
        using TestDatabase db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        var events = new EventLog(db.Database);
        var recordings = new RecordingStore(db.Database);
        var ids = new List<long>();

        await using (WriteBatch batch = (await db.Database.BeginWriteBatchAsync())!)
        {
            db.Database.UseBatch(batch);
            try
            {
                for (int i = 0; i < 20; i++)
                {
                    await events.AppendAsync(EventTypes.CallStarted, i % 5 == 0 ? null : $"c{i}", $$"""{"n":{{i}}}""", T0.AddSeconds(i));
                    long id = await recordings.StartAsync($"c{i}", $"/rec/c{i}.wav", RecordingFormat.Pcm16, T0.AddSeconds(i));
                    ids.Add(id);
                    Assert.True(await recordings.FinishAsync(id, RecordingStatus.Completed, TimeSpan.FromSeconds(i), 1000 + i,
                        i % 4 == 0 ? null : $"sha{i}"));
                }

                Assert.Equal(3, batch.CachedCommands); // the event insert, the recording insert, the recording update
                await batch.CommitAsync();
            }
            finally
            {
                db.Database.UseBatch(null);
            }
        }

        IReadOnlyList<StoredEvent> all = await events.ReadFromAsync(0);
        Assert.Equal(20, all.Count);
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(i % 5 == 0 ? null : $"c{i}", all[i].CallId);
            Assert.Equal($$"""{"n":{{i}}}""", all[i].Payload);
            Assert.Equal(T0.AddSeconds(i), all[i].OccurredAt);
            RecordingEntry? entry = await recordings.GetAsync(ids[i]);
            Assert.NotNull(entry);
            Assert.Equal($"c{i}", entry.CallId);
            Assert.Equal($"/rec/c{i}.wav", entry.Path);
            Assert.Equal(TimeSpan.FromSeconds(i), entry.Duration);
            Assert.Equal(1000 + i, entry.SizeBytes);
            Assert.Equal(i % 4 == 0 ? null : $"sha{i}", entry.Sha256);
            Assert.Equal(RecordingStatus.Completed, entry.Status);
        }

        Assert.Equal(20, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_same_statement_with_its_parameters_listed_in_another_order_is_rebound_by_name()
    {
        using TestDatabase db = await TestDatabase.CreateAsync(StorageProvider.Sqlite);
        const string sql = "INSERT INTO events (occurred_at, type, call_id, payload) VALUES (@At, @Type, @CallId, @Payload) RETURNING sequence;";
        await using WriteBatch batch = (await db.Database.BeginWriteBatchAsync())!;
        db.Database.UseBatch(batch);
        try
        {
            await using WriteLease write = await db.Database.OpenWriteAsync();
            await PlainCommand.ExecuteInt64Async(write, sql, PlainCommand.Int64("@At", 1), PlainCommand.Text("@Type", "a"),
                PlainCommand.Text("@CallId", "first"), PlainCommand.Text("@Payload", "{}"));
            await PlainCommand.ExecuteInt64Async(write, sql, PlainCommand.Text("@Payload", "{}"), PlainCommand.Text("@CallId", "second"),
                PlainCommand.Text("@Type", "b"), PlainCommand.Int64("@At", 2));
            Assert.Equal(1, batch.CachedCommands);
            await batch.CommitAsync();
        }
        finally
        {
            db.Database.UseBatch(null);
        }

        IReadOnlyList<StoredEvent> all = await new EventLog(db.Database).ReadFromAsync(0);
        Assert.Equal(["first", "second"], all.Select(e => e.CallId));
        Assert.Equal(["a", "b"], all.Select(e => e.Type));
    }
}
