using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>
/// Start-up repair of voicemail messages a crash left open, as <see cref="RecordingRecovery"/> does for call recordings:
/// each message still <see cref="VoicemailStatus.Recording"/> is fixed with <see cref="WavRepair"/> (mono), hashed and
/// kept as <see cref="VoicemailStatus.New"/> with its <c>voicemail.left</c> event and <c>voicemail</c> alert (what the caller
/// said before the crash is a message like any other), or discarded when no audio survived. Run after migrations,
/// before calls.
/// </summary>
public sealed class VoicemailRecovery(Database database, TimeProvider? timeProvider = null, ILogger? logger = null)
{
    private readonly VoicemailStore _store = new(database);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>Repairs every open message; returns the ones kept (now New).</summary>
    public async Task<IReadOnlyList<VoicemailMessage>> RunAsync(IEnumerable<string> webhooks, CancellationToken cancellationToken = default)
    {
        var names = webhooks.ToList();
        var kept = new List<VoicemailMessage>();
        foreach (VoicemailMessage open in await _store.ListByStatusAsync(VoicemailStatus.Recording, cancellationToken).ConfigureAwait(false))
        {
            WavRepairResult repair = WavRepair.Repair(open.Path, open.Format, expectedChannels: 1);
            if (!repair.IsValid || repair.Duration <= TimeSpan.Zero)
            {
                await _store.FinishAsync(open.Id, VoicemailStatus.Discarded, TimeSpan.Zero, 0, null, cancellationToken).ConfigureAwait(false);
                TryDelete(open.Path);
                _logger.LogWarning("Voicemail {Id} ({Mailbox}, call {CallId}) was cut by a crash before any audio: discarded",
                    open.Id, open.Mailbox, open.CallId);
                continue;
            }

            string sha256 = await HashAsync(open.Path, cancellationToken).ConfigureAwait(false);
            await _store.FinishAsync(open.Id, VoicemailStatus.New, repair.Duration, repair.FileBytes, sha256, cancellationToken)
                .ConfigureAwait(false);
            VoicemailMessage message = open with
            {
                Status = VoicemailStatus.New, Duration = repair.Duration, SizeBytes = repair.FileBytes, Sha256 = sha256,
            };
            await VoicemailEvents.PublishAsync(database, message, names, _time.GetUtcNow(), repaired: true, cancellationToken)
                .ConfigureAwait(false);
            _logger.LogWarning("Voicemail {Id} ({Mailbox}, call {CallId}) was cut by a crash: repaired ({Outcome}), {Duration} kept",
                open.Id, open.Mailbox, open.CallId, repair.Outcome, repair.Duration);
            kept.Add(message);
        }

        return kept;
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A file we cannot delete is harmless: the row says Discarded.
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }
}
