using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Callbacks;
using Telephony.Host.Ivr;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Sip.Messages;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// A callback in process on the fake clock (issue 13): the support queue's free agent 1001 is rung first (the INVITE
/// names the callback), answers, and the customer is called through the sample trunk; busy is retried after the queue's
/// retry delay with the agent rung again, and the second attempt is answered and completes the callback, both attempts on
/// record in the Host's database.
/// </summary>
public sealed class CallbackCallTests
{
    [Fact]
    public async Task Busy_customer_is_retried_after_the_delay_then_answered_and_completed_with_both_attempts_on_record()
    {
        var folder = Path.Combine(Path.GetTempPath(), "telephony-cb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new Database(Path.Combine(folder, "telephony.db"));
        await database.MigrateAsync();
        var storage = new StorageQueue(NullLogger<StorageQueue>.Instance);
        var recorder = new CallRecorder(database, new RecordingSettings { Enabled = false, Directory = folder }, storage, new EventNotifier(),
            new OutboxDispatcher(database, []), NullLogger<CallRecorder>.Instance);
        var ledger = new CallbackLedger(database, recorder);
        CallCenter? center = null;
        var config = InProcessPbx.ConfigCopy(editQueues: q => q
            .Replace("retrySeconds: 120", "retrySeconds: 60", StringComparison.Ordinal)
            .Replace("customerRingSeconds: 30", "customerRingSeconds: 10", StringComparison.Ordinal));
        await using (var pbx = await InProcessPbx.StartAsync(
            configDirectory: config,
            configure: o => o.Rtp.TimeoutSeconds = 0,
            build: (options, time, prompts, locations, configDir) =>
            {
                center = new CallCenter(options, prompts, locations, configDir, time, NullLoggerFactory.Instance, time,
                    agentStates: recorder, callbacks: ledger);
                return (center, center);
            },
            observer: recorder))
        {
            var agent = await pbx.RegisteredPhoneAsync("1001");
            var desk = center!.Queues!.Callbacks!;
            for (var i = 0; i < 50 && (await center.Queues.Scheduler.GetSnapshotAsync()).FindAgent("1001")?.State != Pbx.Queues.AgentState.Available; i++)
            {
                await pbx.TickAsync(TimeSpan.FromMilliseconds(100));
            }
            var now = pbx.Time.GetUtcNow();
            var placement = await desk.RequestAsync(new CallbackTicket
            {
                Id = "cb1", Queue = "support", Number = "+15550000002", Name = "Ada", ArrivedAt = now, RequestedAt = now, Source = "web",
            });
            Assert.True(placement.Accepted, placement.Error);
            var trunk = pbx.Trunk();

            // Attempt 1: the agent first, then the customer, who is busy.
            var ring = await pbx.RingingAsync(agent);
            Assert.Equal("cb1", ring.Invite.Headers.Get("X-Telephony-Callback"));
            Assert.Equal("+15550000002", ring.Invite.Headers.Get("X-Telephony-Callback-Number"));
            Assert.Equal("1", ring.Invite.Headers.Get("X-Telephony-Callback-Attempt"));
            await pbx.AnswerAsync(agent, ring, bridged: false);
            var busy = await CustomerCallAsync(pbx, trunk);
            Assert.StartsWith("sip:+15550000002@127.0.0.2", busy.Invite.RequestUri.ToString(), StringComparison.Ordinal);
            busy.Reject(486);
            await trunk.ExpectRequestAsync(SipMethod.Ack, busy.Invite.CallId);
            await agent.ExpectRequestAsync(SipMethod.Bye, ring.Invite.CallId); // the agent is released

            // Nothing before the retry delay; then attempt 2.
            await pbx.AdvanceAsync(TimeSpan.FromSeconds(30));
            Assert.False(agent.Has(m => m is SipRequest { Method: SipMethod.Invite } r && r.CallId != ring.Invite.CallId && r.To?.Tag is null));
            await pbx.AdvanceAsync(TimeSpan.FromSeconds(31));
            var ring2 = await pbx.RingingAsync(agent);
            Assert.Equal("2", ring2.Invite.Headers.Get("X-Telephony-Callback-Attempt"));
            await pbx.AnswerAsync(agent, ring2, bridged: false);
            var answered = await CustomerCallAsync(pbx, trunk);
            var customerMedia = pbx.RtpPeer("10.0.3.1");
            answered.Ring();
            answered.Answer(customerMedia.Answer());
            customerMedia.ConnectTo(answered.Invite.Body);
            await trunk.ExpectRequestAsync(SipMethod.Ack, answered.Invite.CallId);
            await pbx.TickAsync(TimeSpan.FromSeconds(1));
            await answered.ByeAsync();

            var store = ledger.Store;
            CallbackRecord? record = null;
            for (var i = 0; i < 100 && record?.Status != "Completed"; i++)
            {
                await pbx.TickAsync(TimeSpan.FromMilliseconds(100));
                record = await store.GetAsync("cb1");
            }
            Assert.Equal(("Completed", 2, "1001"), (record!.Status, record.Attempts, record.Agent));
            var attempts = await store.ListAttemptsAsync("cb1");
            Assert.Equal(["Busy", "Answered"], attempts.Select(a => a.Result));
            Assert.Equal([1, 2], attempts.Select(a => a.Attempt));
            await pbx.NoCallsLeftAsync();
        }
        await center!.DisposeAsync();
        await storage.CompleteAsync(TimeSpan.FromSeconds(5));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task After_a_restart_pending_callbacks_are_back_in_line_and_one_cut_mid_attempt_is_never_redialed()
    {
        var folder = Path.Combine(Path.GetTempPath(), "telephony-cb-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new Database(Path.Combine(folder, "telephony.db"));
        await database.MigrateAsync();
        var storage = new StorageQueue(NullLogger<StorageQueue>.Instance);
        var recorder = new CallRecorder(database, new RecordingSettings { Enabled = false, Directory = folder }, storage, new EventNotifier(),
            new OutboxDispatcher(database, []), NullLogger<CallRecorder>.Instance);
        var ledger = new CallbackLedger(database, recorder);
        // Before the "restart": two pending callbacks; the first one's attempt began (the INVITE may have left) and never ended.
        var at = InProcessPbx.OfficeHours.AddMinutes(-10);
        foreach (var id in new[] { "cut", "waiting" })
        {
            await ledger.Store.SaveAsync(new CallbackRecord
            {
                Id = id, Queue = "support", Number = "+1555000000" + (id == "cut" ? "1" : "2"), ArrivedAt = at, RequestedAt = at, Source = "web",
            }, ownVisit: true);
        }
        Assert.True(await ledger.Store.BeginAttemptAsync("cut", 1, "call-1", "1001", at.AddMinutes(1)));

        CallCenter? center = null;
        await using (var pbx = await InProcessPbx.StartAsync(
            build: (options, time, prompts, locations, configDir) =>
            {
                center = new CallCenter(options, prompts, locations, configDir, time, NullLoggerFactory.Instance, time,
                    agentStates: recorder, callbacks: ledger);
                return (center, center);
            },
            observer: recorder))
        {
            await new CallbackRecovery(center!, ledger, pbx.Time, NullLogger<CallbackRecovery>.Instance).StartAsync(CancellationToken.None);
            var cut = await ledger.Store.GetAsync("cut");
            Assert.Equal("Failed", cut!.Status);
            Assert.Contains("not again", cut.Detail, StringComparison.Ordinal);
            Assert.Equal("Interrupted", (await ledger.Store.ListAttemptsAsync("cut")).Single().Result);
            Assert.Equal(["waiting"], center!.Queues!.Callbacks!.Pending.Select(t => t.Id));
            var line = (await center.Queues.Scheduler.GetSnapshotAsync()).Queues.Single(q => q.Name == "support").Calls;
            Assert.Equal(("waiting", at), (line.Single().InteractionId, pbx.Time.GetUtcNow() - line.Single().WaitedInQueue));
            Assert.Equal("Pending", (await ledger.Store.GetAsync("waiting"))!.Status);
        }
        await center!.DisposeAsync();
        await storage.CompleteAsync(TimeSpan.FromSeconds(5));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }

    private static async Task<UasCall> CustomerCallAsync(InProcessPbx pbx, SipTestPeer trunk)
    {
        await pbx.TickUntilAsync(() => trunk.Has(m => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null),
            TimeSpan.FromSeconds(10), "the customer is called through the trunk");
        return await trunk.ExpectCallAsync();
    }
}
