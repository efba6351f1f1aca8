using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Host.Ivr;

/// <summary>
/// Hot reload of <c>config/queues.yaml</c>: a change (debounced until the file has been quiet for half a second) is
/// loaded and validated; a valid file goes to the <see cref="QueueCallCoordinator"/> (queues matched by name, waiting
/// callers keep their place), a refused one is logged with <c>file:line:column</c> and the last good configuration
/// stays in force.
/// </summary>
public sealed class QueuesConfigWatcher : IDisposable
{
    private static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);
    private readonly string _path;
    private readonly QueueCallCoordinator _queues;
    private readonly ILogger _logger;
    private readonly FileSystemWatcher _watcher;
    private readonly Timer _timer;
    private int _disposed;

    public QueuesConfigWatcher(string path, QueueCallCoordinator queues, ILogger<QueuesConfigWatcher> logger)
    {
        _path = Path.GetFullPath(path);
        _queues = queues;
        _logger = logger;
        _timer = new Timer(_ => Reload(), null, Timeout.Infinite, Timeout.Infinite);
        _watcher = new FileSystemWatcher(Path.GetDirectoryName(_path)!, Path.GetFileName(_path))
        {
            NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
        };
        _watcher.Changed += (_, _) => Changed();
        _watcher.Created += (_, _) => Changed();
        _watcher.Renamed += (_, _) => Changed();
        _watcher.EnableRaisingEvents = true;
    }

    /// <summary>Loads the file now: true when it was valid and applied.</summary>
    public bool Reload()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return false;
        }
        QueuesConfig config;
        try
        {
            config = QueuesConfigLoader.LoadFile(_path);
        }
        catch (QueuesConfigException ex)
        {
            _logger.LogError("Queues configuration refused, keeping the last good one: {Errors}", ex.Message);
            return false;
        }
        _queues.ApplyConfig(config);
        _logger.LogInformation("Queues reloaded from {File}: {Queues}", _path, string.Join(", ", config.Queues.Select(q => q.Name)));
        return true;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        _watcher.Dispose();
        _timer.Dispose();
    }

    private void Changed()
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _timer.Change(Debounce, Timeout.InfiniteTimeSpan);
        }
    }
}
