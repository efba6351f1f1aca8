using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Storage;

/// <summary>Schema 9: voicemail messages, survey scores and disposition codes on the call record, and their filters.</summary>
public class PromiseStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Voicemail_life_cycle_new_heard_handled_with_the_reply_time(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new VoicemailStore(db.Database);
        long id = await store.StartAsync("support", "call-1", "+15550000001", db.Folder.File("vm/1.wav"), RecordingFormat.Pcm16, T0);
        Assert.Equal(VoicemailStatus.Recording, (await store.GetAsync(id))!.Status);
        Assert.Empty(await store.ListAsync(new VoicemailQuery())); // not listed while recording

        Assert.True(await store.FinishAsync(id, VoicemailStatus.New, TimeSpan.FromSeconds(7), 56_044, "ab"));
        Assert.False(await store.FinishAsync(id, VoicemailStatus.New, TimeSpan.FromSeconds(7), 56_044, "ab")); // once
        Assert.True(await store.MarkHeardAsync(id, "1001", T0.AddMinutes(5)));
        Assert.False(await store.MarkHeardAsync(id, "1002", T0.AddMinutes(6))); // the first listener stays
        VoicemailMessage handled = (await store.MarkHandledAsync(id, "1002", T0.AddMinutes(30)))!;
        Assert.Equal(VoicemailStatus.Handled, handled.Status);
        Assert.Equal("1001", handled.HeardBy);
        Assert.Equal("1002", handled.HandledBy);
        Assert.Equal(TimeSpan.FromMinutes(30), handled.ReplyTime);
        Assert.Equal(TimeSpan.FromSeconds(7), handled.Duration);
        Assert.Equal($"/api/voicemails/{id}/audio", handled.AudioPath);
        Assert.Null(await store.MarkHandledAsync(id, "1002", T0.AddMinutes(31))); // already handled
        Assert.Null(await store.MarkHandledAsync(999, "1002", T0));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Voicemail_list_filters_by_mailbox_status_and_time_newest_first(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new VoicemailStore(db.Database);
        async Task<long> Left(string mailbox, int minute, VoicemailStatus status = VoicemailStatus.New)
        {
            long id = await store.StartAsync(mailbox, "c" + minute, "+1555", db.Folder.File($"vm/{minute}.wav"), RecordingFormat.Pcm16,
                T0.AddMinutes(minute));
            await store.FinishAsync(id, status, TimeSpan.FromSeconds(3), 100, null);
            return id;
        }

        long a = await Left("support", 1), b = await Left("1001", 2), c = await Left("sales", 3), d = await Left("support", 4, VoicemailStatus.Discarded);
        await store.MarkHandledAsync(a, "2001", T0.AddMinutes(10));
        Assert.Equal([c, b, a], (await store.ListAsync(new VoicemailQuery())).Select(m => m.Id));
        Assert.Equal([b, a], (await store.ListAsync(new VoicemailQuery { Mailboxes = ["support", "1001"] })).Select(m => m.Id));
        Assert.Empty(await store.ListAsync(new VoicemailQuery { Mailboxes = [] }));
        Assert.Equal([c, b], (await store.ListAsync(new VoicemailQuery { Status = VoicemailStatus.New })).Select(m => m.Id));
        Assert.Equal([d], (await store.ListAsync(new VoicemailQuery { Status = VoicemailStatus.Discarded })).Select(m => m.Id));
        Assert.Equal([b], (await store.ListAsync(new VoicemailQuery { From = T0.AddMinutes(2), To = T0.AddMinutes(3) })).Select(m => m.Id));
        Assert.True(await store.DiscardAsync(c));
        Assert.False(await store.DiscardAsync(a)); // handled messages stay
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Recovery_keeps_what_a_crash_cut_as_a_new_message_with_its_alert_and_discards_empty_ones(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var store = new VoicemailStore(db.Database);
        string path = db.Folder.File("vm/cut.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = new FileStream(path, FileMode.CreateNew))
        {
            var writer = new WavWriter(file, RecordingFormat.MuLaw, ownsStream: false, channels: 1);
            for (int i = 0; i < 150; i++)
            {
                writer.WriteFrame(Enumerable.Repeat((short)3000, 160).ToArray(), []); // 3 s said before the crash
            }

            writer.Flush();
        }

        long cut = await store.StartAsync("support", "call-cut", "+15550000009", path, RecordingFormat.MuLaw, T0);
        string emptyPath = db.Folder.File("vm/empty.wav");
        await File.WriteAllBytesAsync(emptyPath, new byte[20]); // the header was not even complete
        long empty = await store.StartAsync("support", "call-empty", "+15550000008", emptyPath, RecordingFormat.MuLaw, T0);

        IReadOnlyList<VoicemailMessage> kept = await new VoicemailRecovery(db.Database, new FakeTimeProvider(T0.AddHours(1)))
            .RunAsync(["crm"]);

        VoicemailMessage message = Assert.Single(kept);
        Assert.Equal(cut, message.Id);
        VoicemailMessage row = (await store.GetAsync(cut))!;
        Assert.Equal(VoicemailStatus.New, row.Status);
        Assert.Equal(TimeSpan.FromSeconds(3), row.Duration);
        Assert.Equal(64, row.Sha256!.Length);
        Assert.Equal(VoicemailStatus.Discarded, (await store.GetAsync(empty))!.Status);
        Assert.False(File.Exists(emptyPath));

        Alert alert = Assert.Single(await new AlertStore(db.Database).ListAsync(T0, T0.AddDays(1)));
        Assert.Equal(AlertKinds.Voicemail, alert.Kind);
        using JsonDocument payload = JsonDocument.Parse(alert.Payload);
        Assert.Equal("voicemail", payload.RootElement.GetProperty("kind").GetString());
        Assert.Equal($"/api/voicemails/{cut}/audio", payload.RootElement.GetProperty("audio").GetString());
        Assert.True(payload.RootElement.GetProperty("repaired").GetBoolean());
        Assert.Equal("+15550000009", payload.RootElement.GetProperty("caller").GetString());
        Assert.Single(await new OutboxStore(db.Database).ListDueAsync(T0.AddDays(1), 10)); // one delivery for the webhook
        Assert.Contains(await new EventLog(db.Database).ReadFromAsync(0), e => e.Type == EventTypes.VoicemailLeft && e.CallId == "call-cut");
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Disposition_and_survey_land_on_the_call_record_and_filter_the_searches(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var calls = new CallStore(db.Database);
        foreach (var (id, minute) in new[] { ("c1", 1), ("c2", 2), ("c3", 3) })
        {
            await calls.StartAsync(id, "+1555000" + minute, "08001234567", T0.AddMinutes(minute));
            await calls.EndAsync(id, T0.AddMinutes(minute + 1), CallOutcome.Answered, TimeSpan.FromSeconds(30), null, "bye", HangupSide.Callee);
        }

        var dispositions = new DispositionStore(db.Database);
        Assert.NotNull(await dispositions.SetAsync("c1", "support", ["resolved"], null, "1001", "dtmf", T0.AddMinutes(2), "{}"));
        Assert.NotNull(await dispositions.SetAsync("c1", "support", ["resolved", "follow-up"], "call back Friday", "1001", "api",
            T0.AddMinutes(3), """{"callId":"c1"}"""));
        Assert.NotNull(await dispositions.SetAsync("c2", "support", ["wrong-number"], null, "1002", "api", T0.AddMinutes(3), "{}"));
        Assert.Null(await dispositions.SetAsync("nope", "support", ["resolved"], null, "1002", "api", T0, "{}"));
        Assert.True(await calls.SetSurveyAsync("c1", 2, """{"csat":"2","resolved":"2"}"""));
        Assert.True(await calls.SetSurveyAsync("c2", 5, """{"csat":"5"}"""));

        CallRecord c1 = (await calls.GetAsync("c1"))!;
        Assert.Equal("resolved,follow-up", c1.Disposition);
        Assert.Equal("call back Friday", c1.DispositionNote);
        Assert.Equal(2, c1.Csat);
        Assert.Equal("""{"csat":"2","resolved":"2"}""", c1.Survey);
        Assert.Equal(["dtmf", "api"], (await dispositions.ListByCallAsync("c1")).Select(d => d.Source));
        Assert.Equal(["resolved", "follow-up"], (await dispositions.ListByCallAsync("c1"))[1].CodeList);
        Assert.Equal(2, (await new EventLog(db.Database).ReadFromAsync(0)).Count(e => e.Type == EventTypes.CallDisposition && e.CallId == "c1"));

        Assert.Equal(["c1"], (await calls.QueryAsync(new CallQuery { Disposition = "follow-up" })).Select(c => c.Id));
        Assert.Empty(await calls.QueryAsync(new CallQuery { Disposition = "follow" })); // whole codes only
        Assert.Equal(["c2"], (await calls.QueryAsync(new CallQuery { CsatMin = 4 })).Select(c => c.Id));
        Assert.Equal(["c1"], (await calls.QueryAsync(new CallQuery { CsatMin = 1, CsatMax = 2 })).Select(c => c.Id));
        var console = new ConsoleQueries(db.Database);
        var (items, total) = await console.SearchCallsAsync(new CallSearch { Disposition = "wrong-number" });
        Assert.Equal(1, total);
        Assert.Equal("c2", Assert.Single(items).Id);
        Assert.Equal(["c2", "c1"], (await console.SearchCallsAsync(new CallSearch { CsatMin = 1 })).Items.Select(c => c.Id));
    }
}
