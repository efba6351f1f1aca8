using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class EventLogTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Appends_in_order_and_replays_after_a_sequence(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var log = new EventLog(db.Database);
        var sequences = new List<long>();
        for (int i = 0; i < 10; i++)
        {
            sequences.Add(await log.AppendAsync(EventTypes.CallStarted, $"c{i}", $$"""{"n":{{i}}}""", T0.AddSeconds(i)));
        }

        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal(sequences[^1], await log.LastSequenceAsync());

        IReadOnlyList<StoredEvent> all = await log.ReadFromAsync(0);
        Assert.Equal(sequences, all.Select(e => e.Sequence));
        Assert.Equal("c3", all[3].CallId);
        Assert.Equal("""{"n":3}""", all[3].Payload);
        Assert.Equal(T0.AddSeconds(3), all[3].OccurredAt);
        Assert.Equal(EventTypes.CallStarted, all[3].Type);

        IReadOnlyList<StoredEvent> resumed = await log.ReadFromAsync(sequences[6]); // Last-Event-ID = 7th event
        Assert.Equal(sequences[7..], resumed.Select(e => e.Sequence));
        Assert.Equal(2, (await log.ReadFromAsync(sequences[6], limit: 2)).Count);
        Assert.Empty(await log.ReadFromAsync(sequences[^1]));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Empty_log_has_sequence_zero(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var log = new EventLog(db.Database);
        Assert.Equal(0, await log.LastSequenceAsync());
        Assert.Empty(await log.ReadFromAsync(0));
        await log.AppendAsync(EventTypes.AlertCreated, null, "{}", T0);
        Assert.Null((await log.ReadFromAsync(0))[0].CallId);
    }
}
