using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Pbx.Server;

namespace Telephony.Host.Ivr;

/// <summary>
/// Wires the applications into the PBX: the IVR (<c>config/ivr.yaml</c>, hot-reloaded; a refused tree keeps the last
/// good one, and with none the IVR stays off), the queues (<c>config/queues.yaml</c>, one
/// <see cref="QueueCallCoordinator"/>) and the agent feature codes. Claims the numbers they answer on the
/// <see cref="CallRouter"/> and takes over each answered <see cref="ApplicationCall"/>. Started before the PBX.
/// </summary>
public sealed class CallCenter(PbxServer server, string configDirectory, TimeProvider ivrClock, ILoggerFactory loggerFactory)
    : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<CallCenter>();
    private int _disposed;

    public IvrFlowRepository? Flows { get; private set; }
    public IvrEngine? Engine { get; private set; }
    public QueueCallCoordinator? Queues { get; private set; }

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
            var scheduler = new QueueSchedulerService(config, TimeProvider.System, loggerFactory.CreateLogger<QueueSchedulerService>());
            Queues = new QueueCallCoordinator(scheduler, config, server.Prompts, server.Locations,
                loggerFactory.CreateLogger<QueueCallCoordinator>());
            Queues.Start();
            _logger.LogInformation("Queues from {File}: {Queues}", queuesPath, string.Join(", ", config.Queues.Select(q => q.Name)));
        }
        else
        {
            _logger.LogWarning("No {File}: queues are off", queuesPath);
        }

        var ivrPath = Path.Combine(configDirectory, "ivr.yaml");
        if (File.Exists(ivrPath))
        {
            Flows = new IvrFlowRepository(ivrPath, server.Prompts.SoundsDirectory, TimeProvider.System,
                loggerFactory.CreateLogger<IvrFlowRepository>(),
                outboundTrunks: [.. server.Calls.Options.Trunks.Where(t => t.Outbound is not null).Select(t => t.Name)]);
            var result = Flows.Reload();
            if (!result.Succeeded)
            {
                _logger.LogError("IVR is off until {File} is fixed (it is watched and reloaded on change)", ivrPath);
            }
            Flows.StartWatching();
            Engine = new IvrEngine(Flows, ivrClock, loggerFactory);
        }
        else
        {
            _logger.LogWarning("No {File}: the IVR is off", ivrPath);
        }

        server.Calls.Router.ApplicationNumbers = number =>
            (Queues is not null && QueueCallCoordinator.IsFeatureCode(number)) || (Engine?.Answers(number) ?? false);
        server.Calls.ApplicationStarter = StartApplicationAsync;
        return Task.CompletedTask;
    }

    private async ValueTask StartApplicationAsync(ApplicationCall call)
    {
        if (QueueCallCoordinator.IsFeatureCode(call.Dialed) && Queues is not null)
        {
            await Queues.HandleFeatureCodeAsync(call);
            return;
        }
        var ringTimeout = TimeSpan.FromSeconds(server.Calls.Options.Sip.RingTimeoutSeconds);
        if (Queues is not null)
        {
            Queues.TransferRingTimeout = ringTimeout;
            call.BlindTransferHandler = Queues.BlindTransferAsync; // REFER by an agent: to a queue or an extension
        }
        var adapter = new IvrChannelAdapter(call, server.Prompts, Queues, ringTimeout);
        IvrCall? ivr = null;
        call.DigitReceived += (_, digit) => ivr?.OnDigit(digit);
        ivr = Engine?.StartCall(call.Dialed, call.Caller, adapter, call.Id);
        if (ivr is null)
        {
            _logger.LogWarning("Call {CallId}: no IVR tree answers {Dialed} any more", call.Id, call.Dialed);
            call.Hangup("no IVR tree");
            return;
        }
        _logger.LogInformation("Call {CallId}: IVR flow {Flow} v{Version} for {Caller}", call.Id, ivr.Flow.Name, ivr.Flow.Version, call.Caller);
        var started = ivr;
        _ = call.Ended.ContinueWith(_ => started.OnHangup(), TaskScheduler.Default);
        _ = ivr.Completion.ContinueWith(t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                var r = t.Result;
                _logger.LogInformation("Call {CallId}: IVR ended ({Reason}) at {Node}; path {Path}; tags [{Tags}]",
                    call.Id, r.Reason, r.LastNode, string.Join(" > ", r.Interaction.Path), string.Join(",", r.Interaction.Tags));
            }
        }, TaskScheduler.Default);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Idempotent: the instance is both a singleton and a hosted service, so the container disposes it twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        Flows?.Dispose();
        if (Queues is not null)
        {
            await Queues.DisposeAsync();
        }
    }
}
