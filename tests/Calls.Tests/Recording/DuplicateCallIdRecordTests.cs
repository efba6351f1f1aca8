using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Recording;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Calls.Tests.Recording;

/// <summary>
/// Two cluster nodes answering one INVITE (Kamailio failed it over while the first still took it) write the same Call-ID
/// into one shared database: the Host's <see cref="CallRecorder"/> of node-a keeps the Call-ID, node-b's records its
/// call as <c>&lt;Call-ID&gt;~node-b</c> and writes the answer and the end there, so no record is lost and neither node's
/// updates land on the other's record. Both recorders watch the same in-process call here.
/// </summary>
public sealed class DuplicateCallIdRecordTests
{
    [Fact]
    public async Task The_second_node_s_record_gets_a_node_qualified_id_and_its_own_updates()
    {
        var folder = Path.Combine(Path.GetTempPath(), "telephony-dup-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var database = new Database(Path.Combine(folder, "telephony.db"));
            await database.MigrateAsync();
            var storage = new StorageQueue(NullLogger<StorageQueue>.Instance);
            CallRecorder Recorder(string node) => new(database.ForNode(node), new RecordingSettings { Enabled = false, Directory = folder }, storage,
                new EventNotifier(), new OutboxDispatcher(database, []), NullLogger<CallRecorder>.Instance);
            var (a, b) = (Recorder("node-a"), Recorder("node-b"));
            await using var pbx = await InProcessPbx.StartAsync(observer: new CallObserverFan(a, b));

            var caller = await pbx.TrunkCallerAsync(number: "9000");
            await pbx.TickAsync(TimeSpan.FromSeconds(1));
            await caller.Call.ByeAsync();
            await caller.EndedAsync();
            await storage.DrainAsync(TimeSpan.FromSeconds(10));

            var calls = new CallStore(database);
            CallRecord first = (await calls.GetAsync(caller.CallId))!;
            CallRecord second = (await calls.GetAsync(caller.CallId + "~node-b"))!;
            Assert.NotNull(first);
            Assert.NotNull(second);
            foreach (var record in new[] { first, second })
            {
                Assert.NotNull(record.AnsweredAt);
                Assert.NotNull(record.EndedAt);
                Assert.Equal(CallOutcome.Answered, record.Outcome);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
