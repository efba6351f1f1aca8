using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Loading;

/// <summary>
/// Owns the live <c>ivr.yaml</c>: loads and validates it, hot-reloads it when the file changes
/// (<see cref="FileSystemWatcher"/> plus a debounce on the injected <see cref="TimeProvider"/>), and keeps the last
/// good version when a reload is refused. Flow objects are immutable, so calls keep the version they started with.
/// </summary>
public sealed class IvrFlowRepository : IDisposable
{
    /// <summary>Editors write a file in several steps; wait this long after the last change before reloading.</summary>
    public static readonly TimeSpan DefaultDebounce = TimeSpan.FromMilliseconds(500);

    private readonly object _gate = new();
    private readonly string _path;
    private readonly string? _soundsDirectory;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TimeSpan _debounce;
    private readonly IReadOnlyCollection<string>? _outboundTrunks;
    private FileSystemWatcher? _watcher;
    private ITimer? _debounceTimer;
    private IvrFlowSet? _current;
    private IReadOnlyList<FlowError> _lastErrors = [];
    private int _version;

    /// <param name="outboundTrunks">Names of the outbound trunks in telephony.yaml; when given, a transfer node naming any
    /// other trunk refuses the file.</param>
    public IvrFlowRepository(string path, string? soundsDirectory = null, TimeProvider? timeProvider = null,
        ILogger? logger = null, TimeSpan? debounce = null, IReadOnlyCollection<string>? outboundTrunks = null)
    {
        _outboundTrunks = outboundTrunks;
        _path = path;
        _soundsDirectory = soundsDirectory;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _debounce = debounce ?? DefaultDebounce;
    }

    public string Path => _path;

    /// <summary>The last good flows, or null when no load has succeeded yet.</summary>
    public IvrFlowSet? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>The errors of the last load (empty when it succeeded).</summary>
    public IReadOnlyList<FlowError> LastErrors
    {
        get
        {
            lock (_gate)
            {
                return _lastErrors;
            }
        }
    }

    /// <summary>Raised after every load attempt, good or refused.</summary>
    public event Action<FlowLoadResult>? Reloaded;

    /// <summary>The current flow that answers <paramref name="dialedNumber"/>.</summary>
    public IvrFlow? FindByNumber(string dialedNumber) => Current?.FindByNumber(dialedNumber);

    /// <summary>
    /// Loads the file now. A good file replaces <see cref="Current"/> (version + 1); a bad one is refused and logged.
    /// </summary>
    public FlowLoadResult Reload()
    {
        FlowLoadResult result;
        lock (_gate)
        {
            result = YamlFlowLoader.LoadFile(_path, _soundsDirectory, _version + 1, _time.GetUtcNow(), _outboundTrunks);
            _lastErrors = result.Errors;
            if (result.Succeeded)
            {
                _version++;
                _current = result.Flows;
            }
        }
        if (result.Succeeded)
        {
            _logger.LogInformation("IVR flows loaded from {File}: version {Version}, {Flows} flow(s)", _path,
                result.Flows!.Version, result.Flows.Flows.Count);
        }
        else
        {
            _logger.LogError("IVR flows in {File} refused ({Count} error(s)); keeping version {Version}:\n{Errors}", _path,
                result.Errors.Count, _current?.Version ?? 0, string.Join("\n", result.Errors));
        }
        Reloaded?.Invoke(result);
        return result;
    }

    /// <summary>Watches the file and reloads it (debounced) whenever it changes, is created or renamed into place.</summary>
    public void StartWatching()
    {
        lock (_gate)
        {
            if (_watcher is not null)
            {
                return;
            }
            var full = System.IO.Path.GetFullPath(_path);
            _watcher = new FileSystemWatcher(System.IO.Path.GetDirectoryName(full)!, System.IO.Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => NotifyChanged();
            _watcher.Created += (_, _) => NotifyChanged();
            _watcher.Renamed += (_, _) => NotifyChanged();
            _watcher.EnableRaisingEvents = true;
        }
    }

    /// <summary>A change was seen: (re)arm the debounce timer; the reload happens once the file has been quiet.</summary>
    internal void NotifyChanged()
    {
        lock (_gate)
        {
            _debounceTimer?.Dispose();
            _debounceTimer = _time.CreateTimer(_ => Reload(), null, _debounce, Timeout.InfiniteTimeSpan);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _watcher?.Dispose();
            _watcher = null;
            _debounceTimer?.Dispose();
            _debounceTimer = null;
        }
    }
}
