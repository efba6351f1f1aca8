using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// Compares the database with the storage folder: interactions that were answered but have no audio
/// (no recording row, or its file is missing), and audio files that belong to no interaction.
/// Reports only; it changes nothing.
/// </summary>
public sealed class RecordingReconciler(Database database)
{
    /// <summary>Scans <paramref name="storageFolder"/> (recursively, <c>*.wav</c>) against the database.</summary>
    public async Task<ReconciliationReport> RunAsync(string storageFolder, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<(string CallId, string Path, long KnownCall)>(
            """
            SELECT r.call_id, r.path, CASE WHEN EXISTS (SELECT 1 FROM calls c WHERE c.id = r.call_id) THEN 1 ELSE 0 END
            FROM recordings r WHERE r.status <> 'Deleted';
            """).ConfigureAwait(false)).AsList();
        var answered = (await connection.QueryAsync<string>(
            "SELECT id FROM calls WHERE answered_at IS NOT NULL ORDER BY started_at, id;").ConfigureAwait(false)).AsList();

        var callsWithAudio = new HashSet<string>(StringComparer.Ordinal);
        var filesOfKnownCalls = new HashSet<string>(StringComparer.Ordinal);
        foreach ((string callId, string path, long knownCall) in rows)
        {
            if (File.Exists(path))
            {
                callsWithAudio.Add(callId);
            }

            if (knownCall != 0)
            {
                filesOfKnownCalls.Add(Path.GetFullPath(path));
            }
        }

        List<string> orphanFiles = Directory.Exists(storageFolder)
            ? Directory.EnumerateFiles(storageFolder, "*.wav", SearchOption.AllDirectories)
                .Select(Path.GetFullPath)
                .Where(file => !filesOfKnownCalls.Contains(file))
                .Order(StringComparer.Ordinal)
                .ToList()
            : [];
        return new ReconciliationReport(answered.Where(id => !callsWithAudio.Contains(id)).ToList(), orphanFiles);
    }
}
