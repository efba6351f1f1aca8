using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>
/// Start-up recovery after a crash: every recording still marked <see cref="RecordingStatus.Recording"/> is
/// repaired with <see cref="WavRepair"/> (sizes fixed from the file length), hashed and marked
/// <see cref="RecordingStatus.Interrupted"/>; every call record still open is closed as
/// <see cref="CallOutcome.Interrupted"/> (at the end of its audio when it has a recording). Run it after
/// migrations and before taking calls: at that point nothing can be live.
/// </summary>
public sealed class RecordingRecovery(Database database, TimeProvider? timeProvider = null, ILogger? logger = null)
{
    private readonly RecordingStore _recordings = new(database);
    private readonly CallStore _calls = new(database);
    private readonly EventLog _events = new(database);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Repairs and closes what a crash left open.</summary>
    public async Task<RecoveryReport> RunAsync(CancellationToken cancellationToken = default)
    {
        var recovered = new List<RecoveredRecording>();
        var callEnds = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (RecordingEntry entry in await _recordings.ListByStatusAsync(RecordingStatus.Recording, cancellationToken).ConfigureAwait(false))
        {
            WavRepairResult repair = WavRepair.Repair(entry.Path, entry.Format);
            string? sha256 = repair.IsValid ? await HashAsync(entry.Path, cancellationToken).ConfigureAwait(false) : null;
            long size = repair.IsValid ? repair.FileBytes : 0;
            await _recordings.FinishAsync(entry.Id, RecordingStatus.Interrupted, repair.Duration, size, sha256, cancellationToken)
                .ConfigureAwait(false);
            await _events.AppendAsync(
                EventTypes.RecordingInterrupted,
                entry.CallId,
                JsonSerializer.Serialize(new
                {
                    recordingId = entry.Id,
                    path = entry.Path,
                    durationMs = (long)repair.Duration.TotalMilliseconds,
                    sizeBytes = size,
                    sha256,
                    repair = repair.Outcome.ToString(),
                }),
                _time.GetUtcNow(),
                cancellationToken).ConfigureAwait(false);
            _logger.LogWarning(
                "Recording {Path} of call {CallId} was left open by a crash: {Outcome}, {Duration} kept",
                entry.Path, entry.CallId, repair.Outcome, repair.Duration);
            recovered.Add(new RecoveredRecording(entry.Id, entry.CallId, entry.Path, repair.Outcome, repair.Duration, size));

            DateTimeOffset end = entry.StartedAt + repair.Duration;
            if (!callEnds.TryGetValue(entry.CallId, out DateTimeOffset known) || end > known)
            {
                callEnds[entry.CallId] = end;
            }
        }

        var interrupted = new List<string>();
        foreach (CallRecord call in await _calls.ListOpenAsync(cancellationToken).ConfigureAwait(false))
        {
            DateTimeOffset end = callEnds.TryGetValue(call.Id, out DateTimeOffset audioEnd)
                ? audioEnd
                : call.AnsweredAt ?? call.StartedAt;
            if (await _calls.MarkInterruptedAsync(call.Id, end, cancellationToken).ConfigureAwait(false))
            {
                interrupted.Add(call.Id);
                await _events.AppendAsync(EventTypes.CallInterrupted, call.Id, "{}", _time.GetUtcNow(), cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return new RecoveryReport(recovered, interrupted);
    }

    private static async Task<string?> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
