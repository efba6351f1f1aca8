using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Queues;

/// <summary>The single writer of queue state: one loop reads commands from a channel, runs them through a private
/// <see cref="QueueScheduler"/>, sleeps until the next timer (on the injected <see cref="TimeProvider"/>), and
/// publishes actions on <see cref="Actions"/>. Call threads only post commands; nothing else touches the state.</summary>
public sealed class QueueSchedulerService : IAsyncDisposable
{
    private readonly QueueScheduler _scheduler;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Envelope> _commands = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<QueueAction> _actions = Channel.CreateUnbounded<QueueAction>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly IAgentStateObserver? _agentStates;
    private readonly IAgentCommandObserver? _agentCommands;
    private Task? _loop;

    /// <param name="agentStates">Told every agent state change, on the loop (the agent state history); optional.</param>
    /// <param name="invariantCheckInterval">The scheduler's <see cref="QueueScheduler.InvariantCheckInterval"/>: sampled
    /// in production by default; tests pass 1 (every step).</param>
    /// <param name="dispatchGate">On a cluster node, the queue owners' assignments (<see cref="IQueueDispatchGate"/>);
    /// null on a single server. Post a <see cref="TimerTick"/> when they change, so the scheduler dispatches again.</param>
    /// <param name="agentCommands">On a cluster node, told every agent command posted here (not those from
    /// <see cref="PostFromPeer"/>), to send it to the other nodes; null on a single server.</param>
    public QueueSchedulerService(QueuesConfig config, TimeProvider? time = null, ILogger<QueueSchedulerService>? logger = null,
        IAgentStateObserver? agentStates = null, int invariantCheckInterval = QueueScheduler.ProductionInvariantCheckInterval,
        IQueueDispatchGate? dispatchGate = null, IAgentCommandObserver? agentCommands = null)
    {
        _agentStates = agentStates;
        _agentCommands = agentCommands;
        _time = time ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _scheduler = new QueueScheduler(config, _time, _logger, dispatchGate) { InvariantCheckInterval = invariantCheckInterval };
    }

    /// <summary>Everything the call layer must execute, in the order the scheduler decided it. Read by one consumer.</summary>
    public ChannelReader<QueueAction> Actions => _actions.Reader;

    /// <summary>Starts the loop (idempotent).</summary>
    public void Start() => _loop ??= Task.Run(RunAsync);

    /// <summary>Posts a command without waiting (safe from any thread). False once the service is stopped.</summary>
    public bool Post(QueueCommand command) => _commands.Writer.TryWrite(new Envelope(command, null, null));

    /// <summary>Posts an agent command another cluster node took (<see cref="IAgentCommandObserver"/>): applied as
    /// <see cref="Post"/>, but not passed to the observer, so it is not sent back. False once the service is stopped.</summary>
    public bool PostFromPeer(QueueCommand command) => _commands.Writer.TryWrite(new Envelope(command, null, null, FromPeer: true));

    /// <summary>Posts a command and returns the actions it produced once processed (they are also published on
    /// <see cref="Actions"/>).</summary>
    public Task<IReadOnlyList<QueueAction>> SendAsync(QueueCommand command, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<IReadOnlyList<QueueAction>>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new Envelope(command, done, null)))
        {
            done.SetException(new ObjectDisposedException(nameof(QueueSchedulerService)));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    /// <summary>A consistent snapshot taken on the loop, between two commands.</summary>
    public Task<SchedulerSnapshot> GetSnapshotAsync(CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource<SchedulerSnapshot>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_commands.Writer.TryWrite(new Envelope(null, null, done)))
        {
            done.SetException(new ObjectDisposedException(nameof(QueueSchedulerService)));
        }
        return done.Task.WaitAsync(cancellationToken);
    }

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var reader = _commands.Reader;
        Task<bool>? pendingRead = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                while (reader.TryRead(out var envelope))
                {
                    Handle(envelope);
                }
                pendingRead ??= reader.WaitToReadAsync(token).AsTask();
                var deadline = _scheduler.NextDeadline;
                if (deadline is null)
                {
                    await pendingRead.ConfigureAwait(false);
                }
                else
                {
                    var delay = deadline.Value - _time.GetUtcNow();
                    if (delay > TimeSpan.Zero)
                    {
                        using var wake = CancellationTokenSource.CreateLinkedTokenSource(token);
                        var sleep = Task.Delay(delay, _time, wake.Token);
                        await Task.WhenAny(pendingRead, sleep).ConfigureAwait(false);
                        await wake.CancelAsync().ConfigureAwait(false);
                    }
                    if (!pendingRead.IsCompleted)
                    {
                        Publish(Step(TimerTick.Instance));
                        continue;
                    }
                }
                if (!await pendingRead.ConfigureAwait(false))
                {
                    break;
                }
                pendingRead = null;
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            while (reader.TryRead(out var orphan))
            {
                orphan.Done?.TrySetException(new ObjectDisposedException(nameof(QueueSchedulerService)));
                orphan.Snapshot?.TrySetException(new ObjectDisposedException(nameof(QueueSchedulerService)));
            }
            _actions.Writer.TryComplete();
        }
    }

    private void Handle(Envelope envelope)
    {
        if (envelope.Snapshot is { } snap)
        {
            snap.TrySetResult(_scheduler.Snapshot());
            return;
        }
        var actions = Step(envelope.Command!);
        Publish(actions);
        if (!envelope.FromPeer && _agentCommands is not null
            && envelope.Command is AgentLoggedIn or AgentLoggedOut or AgentPaused or AgentResumed)
        {
            try
            {
                _agentCommands.OnAgentCommand(envelope.Command);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                _logger.LogError(ex, "Agent command observer failed on {Command}", envelope.Command);
            }
        }
        envelope.Done?.TrySetResult(actions);
    }

    private IReadOnlyList<QueueAction> Step(QueueCommand command)
    {
        try
        {
            return _scheduler.Process(command);
        }
        catch (QueueInvariantException ex)
        {
            // A scheduler bug: log loudly but keep serving; the state is reported as-is by the next snapshot.
            _logger.LogCritical(ex, "Queue scheduler invariant broken while processing {Command}", command);
            return [];
        }
    }

    private void Publish(IReadOnlyList<QueueAction> actions)
    {
        foreach (var a in actions)
        {
            if (a is AgentStateChanged change && _agentStates is not null)
            {
                try
                {
                    _agentStates.OnAgentStateChanged(change);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    _logger.LogError(ex, "Agent state observer failed on {Change}", change);
                }
            }
            _actions.Writer.TryWrite(a);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _commands.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
        _stop.Dispose();
    }

    private sealed record Envelope(
        QueueCommand? Command,
        TaskCompletionSource<IReadOnlyList<QueueAction>>? Done,
        TaskCompletionSource<SchedulerSnapshot>? Snapshot,
        bool FromPeer = false);
}
