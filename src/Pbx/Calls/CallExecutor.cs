using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Runs one call's control work strictly one item at a time, in arrival order, off the SIP receive threads
/// and off the media loops. Every item runs inside a logging scope carrying the call id.
/// </summary>
public sealed class CallExecutor
{
    private readonly Channel<Func<ValueTask>> _queue =
        Channel.CreateUnbounded<Func<ValueTask>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ILogger _logger;
    private readonly string _callId;

    public CallExecutor(string callId, ILogger logger)
    {
        _callId = callId;
        _logger = logger;
        Completion = Task.Run(RunAsync);
    }

    public Task Completion { get; }

    public void Post(Func<ValueTask> work)
    {
        if (!_queue.Writer.TryWrite(work))
        {
            _logger.LogDebug("Call {CallId}: work posted after the call ended was ignored", _callId);
        }
    }

    public void Post(Action work) => Post(() =>
    {
        work();
        return ValueTask.CompletedTask;
    });

    /// <summary>No more work will be accepted; queued work still runs.</summary>
    public void Complete() => _queue.Writer.TryComplete();

    private async Task RunAsync()
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object> { ["CallId"] = _callId });
        await foreach (var work in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Call {CallId}: unhandled error in call control", _callId);
            }
        }
    }
}
