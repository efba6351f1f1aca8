using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <summary>
/// Start-up and background work of the recording/storage side, started before the PBX and stopped after it:
/// migrates the database (WAL), repairs what a crash left open (<see cref="RecordingRecovery"/>), attaches the
/// <see cref="CallRecorder"/>'s database, runs the webhook <see cref="OutboxDispatcher"/> and the daily
/// <see cref="RetentionSweep"/>.
/// </summary>
public sealed class RecordingHostedService(
    Database database,
    RecordingSettings settings,
    CallRecorder recorder,
    StorageQueue queue,
    EventNotifier notifier,
    OutboxDispatcher dispatcher,
    ILoggerFactory loggerFactory) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<RecordingHostedService>();
    private readonly CancellationTokenSource _stopping = new();
    private Task _dispatchLoop = Task.CompletedTask;
    private Task _retentionLoop = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        int version;
        try
        {
            version = await database.MigrateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            // An unreachable PostgreSQL server or an unwritable SQLite file: one clear line, exit code 1.
            throw new Telephony.Pbx.Server.PbxStartupException($"storage {database.FilePath} cannot be opened: {e.Message}", e);
        }
        _logger.LogInformation("Database {Path} at schema version {Version}", database.FilePath, version);
        var agentStates = new AgentStateStore(database);
        var lastAlive = await agentStates.LastActivityAsync(cancellationToken).ConfigureAwait(false); // before recovery writes
        var report = await new RecordingRecovery(database, null, loggerFactory.CreateLogger<RecordingRecovery>())
            .RunAsync(cancellationToken).ConfigureAwait(false);
        if (report.Recordings.Count > 0 || report.InterruptedCalls.Count > 0)
        {
            _logger.LogWarning("Recovered after a crash: {Recordings} recording(s) repaired, {Calls} call record(s) closed as interrupted",
                report.Recordings.Count, report.InterruptedCalls.Count);
            notifier.Notify();
        }
        // Voicemail messages cut by the crash: repaired and kept (with their alert), or discarded when no audio survived.
        var voicemails = await new VoicemailRecovery(database, null, loggerFactory.CreateLogger<VoicemailRecovery>())
            .RunAsync(settings.Webhooks.Select(w => w.Name), cancellationToken).ConfigureAwait(false);
        if (voicemails.Count > 0)
        {
            _logger.LogWarning("Recovered after a crash: {Count} voicemail message(s) repaired and kept", voicemails.Count);
            notifier.Notify();
        }
        // No open-ended state across a restart: agents still logged in are logged out ("interrupted") at the last instant
        // the log shows the server alive; queue visits of calls closed as interrupted end as Other at the call's end.
        if (lastAlive is { } alive)
        {
            var agents = await agentStates.CloseOpenAsync(alive, AgentStateStore.InterruptedReason, cancellationToken).ConfigureAwait(false);
            var visits = await new QueueEventStore(database).CloseVisitsOfEndedCallsAsync(cancellationToken).ConfigureAwait(false);
            if (agents.Count > 0 || visits > 0)
            {
                _logger.LogWarning("Recovered after a crash: {Agents} agent(s) logged out as interrupted at {At}, {Visits} queue visit(s) closed",
                    agents.Count, alive, visits);
            }
        }
        try
        {
            Directory.CreateDirectory(settings.Directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Calls still work; each recording that cannot be created raises a recording_failed alert.
            _logger.LogError(e, "Recording folder {Directory} is not usable; calls will not be recorded", settings.Directory);
        }

        _dispatchLoop = Task.Run(() => dispatcher.RunAsync(_stopping.Token), CancellationToken.None);
        _retentionLoop = Task.Run(RetentionLoopAsync, CancellationToken.None);
        _logger.LogInformation("Recording {State} ({Format}) to {Directory}, retention {Days} day(s), {Webhooks} webhook(s)",
            settings.Enabled ? "on" : "off", settings.ParsedFormat, settings.Directory, settings.RetentionDays, settings.Webhooks.Count);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await recorder.FlushAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        try
        {
            // A clean stop closes every agent's state now ("shutdown"): no open span waits for the next start.
            await new AgentStateStore(database).CloseOpenAsync(DateTimeOffset.UtcNow, AgentStateStore.ShutdownReason, CancellationToken.None)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException)
        {
            _logger.LogError(e, "Closing the agent states at shutdown failed");
        }
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAny(Task.WhenAll(_dispatchLoop, _retentionLoop), Task.Delay(TimeSpan.FromSeconds(3), CancellationToken.None))
            .ConfigureAwait(false);
        await queue.CompleteAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
    }

    private async Task RetentionLoopAsync()
    {
        var sweep = new RetentionSweep(database, null, loggerFactory.CreateLogger<RetentionSweep>());
        while (!_stopping.IsCancellationRequested)
        {
            if (settings.RetentionDays > 0)
            {
                try
                {
                    var deleted = await sweep.RunAsync(settings.RetentionDays, _stopping.Token).ConfigureAwait(false);
                    if (deleted > 0)
                    {
                        notifier.Notify();
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (Exception e)
                {
                    _logger.LogError(e, "Retention sweep failed");
                }
            }
            try
            {
                await Task.Delay(TimeSpan.FromDays(1), _stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
