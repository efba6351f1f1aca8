using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telephony.Recording.Storage;

/// <summary>
/// Deletes recording files older than the retention period (days, from config) and marks their rows
/// <see cref="RecordingStatus.Deleted"/>. Recordings still being written are never touched.
/// </summary>
public sealed class RetentionSweep(Database database, TimeProvider? timeProvider = null, ILogger? logger = null)
{
    private readonly RecordingStore _recordings = new(database);
    private readonly EventLog _events = new(database);
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    /// <summary>
    /// Deletes closed recordings started more than <paramref name="retentionDays"/> days ago; 0 or less keeps
    /// everything. Returns how many were deleted. A file that cannot be deleted keeps its row for the next sweep.
    /// </summary>
    public async Task<int> RunAsync(int retentionDays, CancellationToken cancellationToken = default)
    {
        if (retentionDays <= 0)
        {
            return 0;
        }

        DateTimeOffset now = _time.GetUtcNow();
        int deleted = 0;
        foreach (RecordingEntry entry in await _recordings.ListClosedBeforeAsync(now.AddDays(-retentionDays), cancellationToken).ConfigureAwait(false))
        {
            try
            {
                File.Delete(entry.Path); // no error when already gone
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning(ex, "Retention could not delete {Path}", entry.Path);
                continue;
            }

            if (await _recordings.MarkDeletedAsync(entry.Id, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
                await _events.AppendAsync(
                    EventTypes.RecordingDeleted,
                    entry.CallId,
                    JsonSerializer.Serialize(new { recordingId = entry.Id, path = entry.Path, reason = "retention" }),
                    now,
                    cancellationToken).ConfigureAwait(false);
            }
        }

        if (deleted > 0)
        {
            _logger.LogInformation("Retention ({Days} days) deleted {Count} recordings", retentionDays, deleted);
        }

        return deleted;
    }
}
