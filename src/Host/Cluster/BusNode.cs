using System.Text.Json;
using System.Threading.Channels;
using Telephony.Cluster.Bus;
using Telephony.Host.Api;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Server;

namespace Telephony.Host.Cluster;

/// <summary>
/// This node on the cluster bus (<see cref="ClusterBus"/>, <c>cluster.database</c> set; inert otherwise): publishes the
/// node's live call events (from <see cref="ClusterCallTracker"/>, in order, never blocking a call thread), beats every
/// <see cref="BeatEvery"/>, and takes the other nodes' messages: live events into <see cref="BusLiveView"/>, and the
/// supervision commands (<see cref="Supervise"/>, <see cref="SuperviseMode"/>) for calls whose media is here, run exactly
/// as a local <c>POST /api/supervise</c> (<see cref="SupervisionApi"/>) and answered with the HTTP status and body the
/// asking node returns. The requester's authorization is checked by the node that received the HTTP request; this
/// node trusts the bus (it is inside the cluster's trust boundary, like the cluster database itself).
/// </summary>
public sealed class BusNode(PbxOptions options, string? connectionString, BusLiveView view, EventNotifier notifier,
    IServiceProvider services, TimeProvider time, ILogger<BusNode> logger, ClusterDatabase? cluster = null) : BackgroundService, IBusListener
{
    /// <summary>Command kinds.</summary>
    public const string Supervise = "supervise", SuperviseMode = "supervise.mode";

    /// <summary>Node kinds: alive, just connected (others resend their calls), stopping.</summary>
    public const string Beat = "node.beat", Hello = "node.hello", Bye = "node.bye";

    /// <summary>How often a node says it is alive.</summary>
    public static readonly TimeSpan BeatEvery = TimeSpan.FromSeconds(2);

    /// <summary>How long a node waits for another to take a command (ack) before answering as if no node had it.</summary>
    public static readonly TimeSpan AckWithin = TimeSpan.FromSeconds(2);

    private readonly Channel<BusMessage> _outbox = Channel.CreateBounded<BusMessage>(
        new BoundedChannelOptions(10_000) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Channel<(BusMessage Message, string? Subject)> _durable = Channel.CreateUnbounded<(BusMessage, string?)>(
        new UnboundedChannelOptions { SingleReader = true });
    private ClusterBus? _bus;

    /// <summary>True when <c>cluster.database</c> is set.</summary>
    public bool Enabled => !string.IsNullOrWhiteSpace(connectionString);

    /// <summary>This node's id.</summary>
    public string Node => options.Cluster.EffectiveNodeId;

    /// <summary>The other nodes' live calls and events.</summary>
    public BusLiveView View => view;

    /// <summary>Queues a live event of this node for the other nodes (nothing when the bus is off).</summary>
    public void PublishLive(string kind, BusLiveEvent e)
    {
        if (Enabled)
        {
            _outbox.Writer.TryWrite(BusMessage.Create(kind, Node, BusCodec.ToBody(e)));
        }
    }

    /// <summary>Queues any message of this node for the other nodes, or only for node <paramref name="to"/> (nothing
    /// when the bus is off).</summary>
    public void Publish(string kind, System.Text.Json.JsonElement body, string? to = null)
    {
        if (Enabled)
        {
            _outbox.Writer.TryWrite(BusMessage.Create(kind, Node, body, to));
        }
    }

    /// <summary>Queues a command for the other nodes that must reach them even if they are not listening now
    /// (<see cref="ClusterBus.PublishDurableAsync"/>: kept in the database, read on reconnection; sent again until the
    /// database takes it). <paramref name="subject"/> (the agent) orders competing commands. Nothing when the bus is off.</summary>
    public void PublishDurable(string kind, JsonElement body, string? subject = null)
    {
        if (Enabled)
        {
            _durable.Writer.TryWrite((BusMessage.Create(kind, Node, body), subject));
        }
    }

    /// <summary>What is queued durably and not sent yet (tests).</summary>
    internal ChannelReader<(BusMessage Message, string? Subject)> DurableOutbox => _durable.Reader;

    /// <summary>Queues <paramref name="message"/> as is (nothing when the bus is off).</summary>
    internal void Publish(BusMessage message)
    {
        if (Enabled)
        {
            _outbox.Writer.TryWrite(message);
        }
    }

    /// <summary>The other nodes' supervisions in progress, gathered over the bus (<c>GET /api/supervise</c>).</summary>
    public BusSupervisionList Supervisions { get; } = new();

    /// <summary>What is queued for the bus and not sent yet (tests).</summary>
    internal ChannelReader<BusMessage> Outbox => _outbox.Reader;

    /// <summary>Sends a command to whichever node takes it (<see cref="ClusterBus.RequestAsync"/>); NotSent when the bus is off.</summary>
    public Task<BusReply> RequestAsync(string kind, JsonElement body, TimeSpan replyWithin, CancellationToken cancellationToken = default) =>
        _bus is { } bus
            ? bus.RequestAsync(BusMessage.Create(kind, Node, body), AckWithin, replyWithin, cancellationToken)
            : Task.FromResult(new BusReply(BusReplyOutcome.NotSent, null));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            return;
        }
        if (cluster is not null && !await MigratedAsync(cluster, stoppingToken).ConfigureAwait(false))
        {
            return; // stopped before the database was reachable
        }
        var channel = ClusterBus.ChannelFor(connectionString!);
        _bus = new ClusterBus(connectionString!, cluster?.DataSource, Node, this, time, channel); // publishes on the node's pool
        logger.LogInformation("Cluster bus: node {Node} on channel {Channel}", Node, channel);
        var listening = _bus.RunAsync(stoppingToken);
        var beating = BeatAsync(stoppingToken);
        var durable = SendDurableAsync(_bus, stoppingToken);
        try
        {
            await foreach (var message in _outbox.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!await _bus.PublishAsync(message, stoppingToken).ConfigureAwait(false))
                {
                    logger.LogDebug("Cluster bus: {Kind} not published", message.Kind);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        using (var bye = new CancellationTokenSource(TimeSpan.FromSeconds(1)))
        {
            await _bus.PublishAsync(BusMessage.Create(Bye, Node, null), bye.Token).ConfigureAwait(false);
        }
        await Task.WhenAll(listening, beating, durable).ConfigureAwait(false);
        await _bus.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Waits for the node's one migration of the cluster database (the bus reads <c>cluster_bus_log</c> from its
    /// first connection on). False when stopped first.</summary>
    private async Task<bool> MigratedAsync(ClusterDatabase database, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await database.MigrateAsync(ct).ConfigureAwait(false);
                return true;
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Cluster bus: database not reachable ({Reason}); retrying in 1 s", ex.Message);
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        return false;
    }

    /// <summary>Sends the durable messages in order, each until the database takes it (the same message id: at most one
    /// row however many tries).</summary>
    private async Task SendDurableAsync(ClusterBus bus, CancellationToken ct)
    {
        try
        {
            await foreach (var (message, subject) in _durable.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                if (BusCodec.TryEncode(message, out var size) is null)
                {
                    logger.LogWarning("Cluster bus: {Kind} of {Size} bytes is too large, not sent", message.Kind, size);
                    continue;
                }
                for (int attempt = 1; !await bus.PublishDurableAsync(message, subject, ct).ConfigureAwait(false); attempt++)
                {
                    if (attempt == 1)
                    {
                        logger.LogWarning("Cluster bus: {Kind} not stored yet (database unreachable); trying again every second", message.Kind);
                    }
                    await Task.Delay(TimeSpan.FromSeconds(1), time, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping: what is still queued is lost with the node (as its calls are).
        }
    }

    private async Task BeatAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                _outbox.Writer.TryWrite(BusMessage.Create(Beat, Node, null));
                await Task.Delay(BeatEvery, time, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    public Task OnMessageAsync(BusMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        view.Seen(message.From);
        switch (message.Kind)
        {
            case Beat:
                break;
            case Bye:
                view.Gone(message.From);
                break;
            case Hello:
                view.Reconnected(message.From);
                foreach (var call in LocalCalls())
                {
                    PublishLive(BusLiveView.CallLive, Describe(call));
                }
                if (Scheduler() is { } scheduler)
                {
                    _ = Task.Run(() => ResendAgentsAsync(scheduler, message.From, cancellationToken), CancellationToken.None);
                }
                break;
            case BusAgentCommands.Kind:
                if (Scheduler() is { } queues && BusAgentCommands.Apply(message, queues))
                {
                    logger.LogInformation("Cluster bus: agent command {Body} from node {Node}", message.Body, message.From);
                }
                break;
            case Supervise:
                _ = Task.Run(() => SuperviseHereAsync(message, cancellationToken), CancellationToken.None);
                break;
            case SuperviseMode:
                return SwitchModeHereAsync(message, cancellationToken);
            case BusSupervisionList.ListKind:
                BusSupervisionList.Answer(this, message, services.GetService<PbxServer>() is { } pbx ? SupervisionEntry.Local(pbx, Node) : []);
                break;
            case BusSupervisionList.ListedKind:
                Supervisions.OnListed(message);
                break;
            default:
                if (view.Apply(message) && !view.MergesIntoStream)
                {
                    notifier.Notify(); // a shared event log: the stream's readers look at it now rather than at their next poll
                }
                break;
        }
        return Task.CompletedTask;
    }

    public void OnConnectionChanged(bool connected, string? reason)
    {
        if (connected)
        {
            logger.LogInformation("Cluster bus: listening");
            // Others drop what they knew of our calls and send theirs; ours follow, in order on the same outbox.
            _outbox.Writer.TryWrite(BusMessage.Create(Hello, Node, null));
            foreach (var call in LocalCalls())
            {
                PublishLive(BusLiveView.CallLive, Describe(call));
            }
        }
        else
        {
            logger.LogWarning("Cluster bus: {Reason}", reason);
        }
    }

    private async Task SuperviseHereAsync(BusMessage message, CancellationToken ct)
    {
        var server = services.GetRequiredService<PbxServer>();
        if (BusCodec.FromBody<SupervisionApi.SuperviseRequest>(message) is not { Supervisor: { } supervisor, Agent: { } agent } request
            || server.Calls.FindCallOfAgent(agent) is null)
        {
            return; // not here: stay silent, the node that has the call answers
        }
        await ReplyAsync(message, BusKinds.Ack, null, ct).ConfigureAwait(false);
        logger.LogInformation("Cluster bus: supervision of {Agent} by {Supervisor} asked by node {Node}", agent, supervisor, message.From);
        var (status, body) = await SupervisionApi.SuperviseHereAsync(request, supervisor, server).ConfigureAwait(false);
        await ReplyAsync(message, BusKinds.Reply, BusCodec.ToBody(new BusHttpReply(status, JsonSerializer.SerializeToElement(body, Web))), ct)
            .ConfigureAwait(false);
    }

    private async Task SwitchModeHereAsync(BusMessage message, CancellationToken ct)
    {
        var server = services.GetRequiredService<PbxServer>();
        if (BusCodec.FromBody<BusModeCommand>(message) is not { } command || !SupervisionApi.HasSupervision(server, command.Id))
        {
            return;
        }
        await ReplyAsync(message, BusKinds.Ack, null, ct).ConfigureAwait(false);
        var (status, body) = SupervisionApi.SwitchModeHere(server, command.Id, command.Mode, command.User, command.IsAdmin);
        await ReplyAsync(message, BusKinds.Reply, BusCodec.ToBody(new BusHttpReply(status, JsonSerializer.SerializeToElement(body, Web))), ct)
            .ConfigureAwait(false);
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private Task<bool> ReplyAsync(BusMessage request, string kind, JsonElement? body, CancellationToken ct) =>
        _bus?.PublishAsync(request.ReplyWith(kind, Node, body), ct) ?? Task.FromResult(false);

    private async Task ResendAgentsAsync(Telephony.Pbx.Queues.QueueSchedulerService scheduler, string to, CancellationToken ct)
    {
        try
        {
            await BusAgentCommands.ResendAsync(scheduler, this, to, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // Stopping.
        }
    }

    /// <summary>This node's queue scheduler (null when queues are off).</summary>
    private Telephony.Pbx.Queues.QueueSchedulerService? Scheduler() => services.GetService<Telephony.Host.Ivr.CallCenter>()?.Queues?.Scheduler;

    private IEnumerable<Call> LocalCalls() =>
        services.GetService<PbxServer>()?.Calls.Calls.Where(c => !c.IsEnded && c is not SupervisorCall) ?? [];

    /// <summary>What the other nodes' live view needs of <paramref name="call"/>.</summary>
    internal static BusLiveEvent Describe(Call call) => new(call.Id, call.Kind, call.CallerNumber, call.DialedNumber, call.StartedAt,
        call.AnsweredAt, AgentOf(call));

    /// <summary>The agent in <paramref name="call"/>, as the console's live view shows it.</summary>
    internal static string? AgentOf(Call call) => call switch
    {
        ApplicationCall app => app.BridgedAgent?.Agent,
        BridgedCall => call.DialedNumber,
        _ => null,
    };
}
