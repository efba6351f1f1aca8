using Telephony.Host.Recording;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Host.Ivr;

/// <summary>
/// The applications behind the PBX's claimed numbers (<see cref="ICallApplications"/>): the IVR (<c>config/ivr.yaml</c>,
/// hot-reloaded; a refused tree keeps the last good one; a refused tree at start refuses the start, and with no file the
/// IVR stays off), the queues
/// (<c>config/queues.yaml</c>, one <see cref="QueueCallCoordinator"/>; hot-reloaded by <see cref="QueuesConfigWatcher"/>)
/// and the agent feature codes; and what an agent's transfer or a supervisor's take-over does
/// (<see cref="IAgentTransfers"/>, the queues'). Given to the <see cref="PbxServer"/> at construction; started before it.
/// </summary>
/// <param name="ivrClock">The IVR's clock for business hours (shifted by <c>ivr.clock</c> in demos).</param>
/// <param name="time">The clock of queue timers and file watching (the system clock; a fake one in tests).</param>
/// <param name="agentStates">Told every agent state change (the Host's <see cref="CallRecorder"/> writes the agent state
/// history from it); optional.</param>
/// <param name="callbacks">Where callbacks are kept (the queues' <c>callback:</c> option works only with it); optional.</param>
/// <param name="promises">Voicemail, post-call surveys and keypad dispositions; optional.</param>
/// <param name="dispatchGate">On a cluster node, the queue owners' assignments (src/Cluster/README.md); null otherwise.</param>
/// <param name="agentCommands">On a cluster node, where agent login/logout/pause/resume go to the other nodes; null otherwise.</param>
public sealed partial class CallCenter(PbxOptions options, PromptLibrary prompts, LocationTable locations, string configDirectory,
    TimeProvider ivrClock, ILoggerFactory loggerFactory, TimeProvider? time = null, IAgentStateObserver? agentStates = null,
    Telephony.Host.Callbacks.CallbackLedger? callbacks = null, CallCenterPromises? promises = null, IQueueDispatchGate? dispatchGate = null,
    IAgentCommandObserver? agentCommands = null)
    : IHostedService, IAsyncDisposable, ICallApplications, IAgentTransfers, ICallOriginator
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<CallCenter>();
    private readonly ILogger _ivrLogger = loggerFactory.CreateLogger("Telephony.Ivr");
    private int _disposed;
    private QueuesConfigWatcher? _queuesWatcher;

    public IvrFlowRepository? Flows { get; private set; }
    public IvrEngine? Engine { get; private set; }
    public QueueCallCoordinator? Queues { get; private set; }

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    private TimeSpan RingTimeout => TimeSpan.FromSeconds(options.Sip.RingTimeoutSeconds);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var queuesPath = Path.Combine(configDirectory, "queues.yaml");
        if (File.Exists(queuesPath))
        {
            QueuesConfig config;
            try
            {
                config = QueuesConfigLoader.LoadFile(queuesPath);
            }
            catch (QueuesConfigException ex)
            {
                throw new PbxStartupException(ex.Message, ex);
            }
            var scheduler = new QueueSchedulerService(config, _time, loggerFactory.CreateLogger<QueueSchedulerService>(), agentStates,
                dispatchGate: dispatchGate, agentCommands: agentCommands);
            Queues = new QueueCallCoordinator(scheduler, config, prompts, locations,
                loggerFactory.CreateLogger<QueueCallCoordinator>(), RingTimeout, originator: this, callbackBook: CallbackBook())
            { Clock = _time };
            Queues.Start();
            _queuesWatcher = new QueuesConfigWatcher(queuesPath, Queues, loggerFactory.CreateLogger<QueuesConfigWatcher>());
            _logger.LogInformation("Queues from {File}: {Queues}", queuesPath, string.Join(", ", config.Queues.Select(q => q.Name)));
        }
        else
        {
            _logger.LogWarning("No {File}: queues are off", queuesPath);
        }

        var ivrPath = Path.Combine(configDirectory, "ivr.yaml");
        if (File.Exists(ivrPath))
        {
            Flows = new IvrFlowRepository(ivrPath, prompts.SoundsDirectory, _time,
                loggerFactory.CreateLogger<IvrFlowRepository>(),
                outboundTrunks: [.. options.Trunks.Where(t => t.Outbound is not null).Select(t => t.Name)]);
            var result = Flows.Reload();
            if (!result.Succeeded)
            {
                // Refused at start (Program checks it first, as `config check` does): without its tree the IVR's
                // numbers would fall to the extension map. A bad file written later keeps the last good tree.
                Flows.Dispose();
                Flows = null;
                throw new PbxStartupException(string.Join(Environment.NewLine, result.Errors.Select(e => e.ToString())));
            }
            Flows.StartWatching();
            Engine = new IvrEngine(Flows, ivrClock, loggerFactory);
        }
        else
        {
            _logger.LogWarning("No {File}: the IVR is off", ivrPath);
        }
        return Task.CompletedTask;
    }

    /// <summary>The IVR's numbers and, with queues, the agent feature codes.</summary>
    public bool Answers(string dialed) =>
        (Queues is not null && (QueueCallCoordinator.IsFeatureCode(dialed) || Dispositions.DispositionKeypad.IsFeatureCode(dialed, out _)))
        || (Engine?.Answers(dialed) ?? false);

    ValueTask ICallApplications.StartAsync(ApplicationCall call) => StartApplicationAsync(call);

    /// <summary>Transfers go to the queues (by queue name, or an extension); without queues REFER is refused.</summary>
    public bool AcceptsTransfers => Queues is not null;

    public Task<int> BlindTransferAsync(ApplicationCall call, AgentLeg agent, string target) =>
        Queues is { } queues ? queues.BlindTransferAsync(call, agent, target) : Task.FromResult(405);

    public void OnAgentTakenOver(ApplicationCall call, string agent, string supervisor) =>
        Queues?.OnAgentTakenOver(call, agent, supervisor);

    private async ValueTask StartApplicationAsync(ApplicationCall call)
    {
        if (QueueCallCoordinator.IsFeatureCode(call.Dialed) && Queues is not null)
        {
            await Queues.HandleFeatureCodeAsync(call);
            return;
        }
        if (Dispositions.DispositionKeypad.IsFeatureCode(call.Dialed, out var position) && Queues is not null)
        {
            await HandleDispositionCodeAsync(call, position);
            return;
        }
        var adapter = new IvrChannelAdapter(call, prompts, Queues, RingTimeout, promises?.Voicemail);
        var flow = Engine is null ? null : Flows?.FindByNumber(call.Dialed);
        if (flow is null)
        {
            _logger.LogWarning("Call {CallId}: no IVR tree answers {Dialed} any more", call.Id, call.Dialed);
            call.SetProgress(CallOutcome.Failed);
            call.Hangup("no IVR tree");
            return;
        }
        // Built here rather than by IvrEngine.StartCall so that the node hook is in place before the first node runs.
        var ivr = new IvrCall(flow, adapter, call.Caller, call.Dialed, ivrClock, _ivrLogger, call.Id);
        call.DigitReceived += (_, digit) => ivr.OnDigit(digit);
        _flowOfCall[call.Id] = flow;
        _ = call.Ended.ContinueWith(ended => _flowOfCall.TryRemove(call.Id, out var _), TaskScheduler.Default);
        WatchAgentKeys(call);
        string? previous = null;
        ivr.NodeEntered += node =>
        {
            OnNodeEntered(call, ivr, previous, node);
            previous = node;
        };
        ivr.Start();
        _logger.LogInformation("Call {CallId}: IVR flow {Flow} v{Version} for {Caller}", call.Id, ivr.Flow.Name, ivr.Flow.Version, call.Caller);
        _ = call.Ended.ContinueWith(_ => ivr.OnHangup(), TaskScheduler.Default);
        _ = ivr.Completion.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                var r = t.Result;
                if (IvrOutcomeRules.OnEnded(r.Reason) is { } outcome)
                {
                    call.SetProgress(outcome, onlyFrom: IvrOutcomeRules.InIvr);
                }
                RecordIvr(call, r.Interaction, r.Reason.ToString());
                _logger.LogInformation("Call {CallId}: IVR ended ({Reason}) at {Node}; path {Path}; tags [{Tags}]",
                    call.Id, r.Reason, r.LastNode, string.Join(" > ", r.Interaction.Path), string.Join(",", r.Interaction.Tags));
            }
        }, TaskScheduler.Default);
    }

    /// <summary>
    /// Runs under the IVR call's gate as each node is entered: names the call's outcome when the IVR decides it
    /// (<see cref="IvrOutcomeRules"/>) and stores the path and variables when the caller is handed to a queue or a
    /// transfer (a live call shows them).
    /// </summary>
    private void OnNodeEntered(ApplicationCall call, IvrCall ivr, string? previous, string nodeId)
    {
        if (IvrOutcomeRules.OnNodeEntered(ivr.Flow, previous, nodeId) is { } outcome)
        {
            call.SetProgress(outcome, onlyFrom: IvrOutcomeRules.InIvr);
        }
        if (IvrOutcomeRules.IsHandoff(ivr.Flow, nodeId))
        {
            RecordIvr(call, ivr.Interaction, null);
        }
    }

    private static void RecordIvr(ApplicationCall call, IvrInteraction interaction, string? endReason) =>
        call.ReportProgress(new ApplicationProgress(interaction.Path, interaction.Variables, endReason, DateTimeOffset.UtcNow));

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Idempotent: the instance is both a singleton and a hosted service, so the container disposes it twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Flows?.Dispose();
        _queuesWatcher?.Dispose();
        if (Queues is not null)
        {
            await Queues.DisposeAsync();
        }
    }
}
