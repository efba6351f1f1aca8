using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Storage;

public class RecoveryAndRetentionTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Recovery_repairs_open_recordings_and_closes_their_calls_as_interrupted(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var calls = new CallStore(db.Database);
        var recordings = new RecordingStore(db.Database);
        await calls.StartAsync("crashed", "+1555", "+1999", T0);
        await calls.AnswerAsync("crashed", T0.AddSeconds(2));
        await calls.StartAsync("ringing", "+1556", "+1999", T0);
        await calls.StartAsync("done", "+1557", "+1999", T0);
        await calls.EndAsync("done", T0.AddSeconds(5), CallOutcome.Answered, null, null, null, null);

        // A recording the server was writing when it was killed: header placeholders, half a frame at the end.
        string path = db.Folder.File("rec/crashed.wav");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using (var file = new FileStream(path, FileMode.CreateNew))
        {
            var writer = new WavWriter(file, RecordingFormat.Pcm16, ownsStream: false);
            for (int i = 0; i < 100; i++)
            {
                writer.WriteFrame(new short[160], new short[160]); // 2 s
            }

            writer.Flush();
            file.Write([1, 2, 3]);
        }

        long id = await recordings.StartAsync("crashed", path, RecordingFormat.Pcm16, T0.AddSeconds(2));
        long missing = await recordings.StartAsync("ringing", db.Folder.File("rec/gone.wav"), RecordingFormat.Pcm16, T0);

        var time = new FakeTimeProvider(T0.AddHours(1));
        RecoveryReport report = await new RecordingRecovery(db.Database, time).RunAsync();

        RecoveredRecording recovered = Assert.Single(report.Recordings, r => r.Id == id);
        Assert.Equal(WavRepairOutcome.Repaired, recovered.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(2), recovered.Duration);
        RecordingEntry row = (await recordings.GetAsync(id))!;
        Assert.Equal(RecordingStatus.Interrupted, row.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), row.Duration);
        Assert.Equal(new FileInfo(path).Length, row.SizeBytes);
        Assert.Equal(64, row.Sha256!.Length);
        TestFiles.ReadStereo(File.ReadAllBytes(path)); // valid WAV again
        Assert.Equal(RecordingStatus.Interrupted, (await recordings.GetAsync(missing))!.Status);

        Assert.Equal(["crashed", "ringing"], report.InterruptedCalls.Order());
        CallRecord crashed = (await calls.GetAsync("crashed"))!;
        Assert.Equal(CallOutcome.Interrupted, crashed.Outcome);
        Assert.Equal(T0.AddSeconds(4), crashed.EndedAt); // answer + 2 s of audio
        Assert.Equal(HangupSide.System, crashed.HangupSide);
        Assert.Equal(CallOutcome.Answered, (await calls.GetAsync("done"))!.Outcome);

        RecoveryReport again = await new RecordingRecovery(db.Database, time).RunAsync();
        Assert.Empty(again.Recordings);
        Assert.Empty(again.InterruptedCalls);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task A_cluster_node_restarting_recovers_only_its_own_rows_and_leaves_the_live_calls_of_the_others(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        Database nodeA = db.Database.ForNode("node-a");
        Database nodeB = db.Database.ForNode("node-b");
        await new CallStore(nodeA).StartAsync("a-cut", "+1", "+2", T0);
        await new CallStore(nodeB).StartAsync("b-live", "+1", "+2", T0);
        await new CallStore(db.Database).StartAsync("before-upgrade", "+1", "+2", T0); // no node: anybody's to close
        long aRecording = await new RecordingStore(nodeA).StartAsync("a-cut", db.Folder.File("a.wav"), RecordingFormat.Pcm16, T0);
        long bRecording = await new RecordingStore(nodeB).StartAsync("b-live", db.Folder.File("b.wav"), RecordingFormat.Pcm16, T0);
        long bVoicemail = await new VoicemailStore(nodeB).StartAsync("sales", "b-live", "+1", db.Folder.File("b-vm.wav"),
            RecordingFormat.Pcm16, T0);

        var time = new FakeTimeProvider(T0.AddHours(1));
        RecoveryReport report = await new RecordingRecovery(nodeA, time).RunAsync();
        await new VoicemailRecovery(nodeA, time).RunAsync([]);

        Assert.Equal(["a-cut", "before-upgrade"], report.InterruptedCalls.Order());
        Assert.Equal([aRecording], report.Recordings.Select(r => r.Id));
        var calls = new CallStore(db.Database);
        Assert.Null((await calls.GetAsync("b-live"))!.EndedAt);
        Assert.Equal(RecordingStatus.Recording, (await new RecordingStore(db.Database).GetAsync(bRecording))!.Status);
        Assert.Equal(VoicemailStatus.Recording, (await new VoicemailStore(db.Database).GetAsync(bVoicemail))!.Status);

        // Node B's call ends normally afterwards: its record keeps its real outcome.
        Assert.True(await new CallStore(nodeB).EndAsync("b-live", T0.AddMinutes(2), CallOutcome.Answered, null, null, null, null));
        Assert.Equal(CallOutcome.Answered, (await calls.GetAsync("b-live"))!.Outcome);

        // A survivor closing a dead node's call names the node.
        await new CallStore(nodeB).StartAsync("b-orphan", "+1", "+2", T0);
        Assert.True(await new CallStore(nodeA).MarkInterruptedAsync("b-orphan", T0.AddMinutes(3), "node node-b lost"));
        Assert.Equal("node node-b lost", (await calls.GetAsync("b-orphan"))!.HangupCause);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Retention_deletes_old_closed_recordings_only(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var recordings = new RecordingStore(db.Database);
        string old = db.Folder.File("old.wav");
        string fresh = db.Folder.File("fresh.wav");
        string live = db.Folder.File("live.wav");
        foreach (string f in new[] { old, fresh, live })
        {
            await File.WriteAllBytesAsync(f, [0]);
        }

        long oldId = await recordings.StartAsync("a", old, RecordingFormat.Pcm16, T0.AddDays(-31));
        await recordings.FinishAsync(oldId, RecordingStatus.Completed, TimeSpan.FromSeconds(1), 1, null);
        long freshId = await recordings.StartAsync("b", fresh, RecordingFormat.Pcm16, T0.AddDays(-29));
        await recordings.FinishAsync(freshId, RecordingStatus.Completed, TimeSpan.FromSeconds(1), 1, null);
        long liveId = await recordings.StartAsync("c", live, RecordingFormat.Pcm16, T0.AddDays(-40));

        var sweep = new RetentionSweep(db.Database, new FakeTimeProvider(T0));
        Assert.Equal(0, await sweep.RunAsync(retentionDays: 0));
        Assert.Equal(1, await sweep.RunAsync(retentionDays: 30));
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
        Assert.True(File.Exists(live));
        Assert.Equal(RecordingStatus.Deleted, (await recordings.GetAsync(oldId))!.Status);
        Assert.Equal(RecordingStatus.Completed, (await recordings.GetAsync(freshId))!.Status);
        Assert.Equal(RecordingStatus.Recording, (await recordings.GetAsync(liveId))!.Status);
        Assert.Equal(0, await sweep.RunAsync(retentionDays: 30));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Reconciler_lists_calls_without_audio_and_files_without_calls(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var calls = new CallStore(db.Database);
        var recordings = new RecordingStore(db.Database);
        string storage = db.Folder.File("rec");
        Directory.CreateDirectory(Path.Combine(storage, "2025"));
        foreach (string id in new[] { "ok", "no-row", "file-gone", "not-answered" })
        {
            await calls.StartAsync(id, "+1", "+2", T0);
            if (id != "not-answered")
            {
                await calls.AnswerAsync(id, T0);
            }
        }

        string ok = Path.Combine(storage, "2025", "ok.wav");
        string orphan = Path.Combine(storage, "2025", "orphan.wav");
        string unknownCall = Path.Combine(storage, "unknown.wav");
        foreach (string f in new[] { ok, orphan, unknownCall })
        {
            await File.WriteAllBytesAsync(f, [0]);
        }

        await recordings.StartAsync("ok", ok, RecordingFormat.Pcm16, T0);
        await recordings.StartAsync("file-gone", Path.Combine(storage, "gone.wav"), RecordingFormat.Pcm16, T0);
        await recordings.StartAsync("no-such-call", unknownCall, RecordingFormat.Pcm16, T0);

        ReconciliationReport report = await new RecordingReconciler(db.Database).RunAsync(storage);
        Assert.Equal(["file-gone", "no-row"], report.CallsWithoutAudio.Order());
        Assert.Equal(new[] { orphan, unknownCall }.Select(Path.GetFullPath).Order(), report.FilesWithoutCall.Order());
    }
}
