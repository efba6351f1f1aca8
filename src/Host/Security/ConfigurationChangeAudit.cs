using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Telephony.Recording.Storage;

namespace Telephony.Host.Security;

/// <summary>
/// Puts every change of a configuration file (<c>config/*.yaml</c>, <c>config/ivr/*.yaml</c>) into the audit trail as
/// <c>config.changed</c>: actor <c>system</c> (the file system does not say who), source and target the file, detail
/// the SHA-256 of the old and new contents (or <c>deleted</c>). Changes are debounced per file for half a second; a
/// write that leaves the contents as they were is not recorded. The hot reloads (queues, IVR) log whether they took
/// the file; this records that the file changed.
/// </summary>
public sealed class ConfigurationChangeAudit : IHostedService, IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);
    private readonly string _directory;
    private readonly IAuditTrail _audit;
    private readonly ConcurrentDictionary<string, string> _hashes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Timer> _timers = new(StringComparer.Ordinal);
    private FileSystemWatcher? _watcher;

    public ConfigurationChangeAudit(string configDirectory, IAuditTrail audit)
    {
        _directory = Path.GetFullPath(configDirectory);
        _audit = audit;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!Directory.Exists(_directory))
        {
            return Task.CompletedTask;
        }

        foreach (string file in Directory.EnumerateFiles(_directory, "*.yaml", SearchOption.AllDirectories))
        {
            if (HashOf(file) is { } hash)
            {
                _hashes[file] = hash;
            }
        }

        _watcher = new FileSystemWatcher(_directory, "*.yaml")
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, e) => Changed(e.FullPath);
        _watcher.Created += (_, e) => Changed(e.FullPath);
        _watcher.Deleted += (_, e) => Changed(e.FullPath);
        _watcher.Renamed += (_, e) =>
        {
            Changed(e.OldFullPath);
            Changed(e.FullPath);
        };
        _watcher.EnableRaisingEvents = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _watcher = null;
        foreach (Timer t in _timers.Values)
        {
            t.Dispose();
        }

        _timers.Clear();
    }

    /// <summary>Compares <paramref name="path"/> with what was last seen and records a change (tests call it directly).</summary>
    public void Check(string path)
    {
        string? now = HashOf(path);
        _hashes.TryGetValue(path, out string? before);
        if (now == before)
        {
            return;
        }

        if (now is null)
        {
            _hashes.TryRemove(path, out _);
        }
        else
        {
            _hashes[path] = now;
        }

        _audit.Record(new AuditEntry
        {
            Actor = "system",
            Source = path,
            Action = AuditActions.ConfigurationChanged,
            Target = Path.GetRelativePath(_directory, path),
            Outcome = AuditOutcomes.Ok,
            Detail = JsonSerializer.Serialize(new { before = before ?? "none", after = now ?? "deleted" }),
        });
    }

    private void Changed(string path)
    {
        if (!path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        Timer timer = _timers.GetOrAdd(path, p => new Timer(_ => Check(p), null, Timeout.Infinite, Timeout.Infinite));
        timer.Change(Debounce, Timeout.InfiniteTimeSpan);
    }

    private static string? HashOf(string path)
    {
        try
        {
            return Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
