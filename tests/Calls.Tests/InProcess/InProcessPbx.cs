using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Configuration;
using Telephony.Host.Ivr;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// The whole PBX in process for call-layer tests: the sample configuration (config/), SIP over an
/// <see cref="InMemorySipNetwork"/>, timers on a <see cref="FakeTimeProvider"/>, a <see cref="RecordingObserver"/>, and
/// scripted peers (phones registered as extensions, the trunk at 127.0.0.2). Whole calls run in milliseconds.
/// </summary>
internal sealed partial class InProcessPbx : IAsyncDisposable
{
    public static readonly IPEndPoint ServerAddress = new(IPAddress.Parse("10.0.0.1"), 5060);
    private readonly List<SipTestPeer> _peers = [];
    private readonly List<RtpTestPeer> _media = [];
    private int _nextPhone = 10;
    private long _ticks;

    private InProcessPbx(PbxOptions options, FakeTimeProvider time, InMemorySipNetwork network, PbxServer server,
        RecordingObserver observer, InMemoryMediaNetwork mediaNetwork)
    {
        Options = options;
        Time = time;
        Network = network;
        Server = server;
        Observer = observer;
        MediaNetwork = mediaNetwork;
    }

    public PbxOptions Options { get; }
    public FakeTimeProvider Time { get; }
    public InMemorySipNetwork Network { get; }
    public PbxServer Server { get; }
    public RecordingObserver Observer { get; }
    public MediaEngine Media => Server.Media;

    /// <summary>The RTP "network" the server's sessions and the test phones' media share.</summary>
    public InMemoryMediaNetwork MediaNetwork { get; }
    public SipEndPoint ServerEndPoint { get; } = new(SipProtocol.Udp, ServerAddress);

    /// <summary>The Host's call center (IVR, queues, feature codes) when started with <see cref="StartCallCenterAsync"/>.</summary>
    public CallCenter? CallCenter { get; private set; }

    /// <summary>
    /// The server with the Host's <see cref="Host.Ivr.CallCenter"/> on the sample config/ivr.yaml and config/queues.yaml
    /// (the support line on 08001234567, queues support/sales/billing/operator), on the fake clock. The fake clock
    /// starts at <paramref name="startAt"/> (default: Tuesday 2026-11-24 10:00 in Berlin, office hours);
    /// <paramref name="configDirectory"/> replaces config/ (see <see cref="ConfigCopy"/>).
    /// </summary>
    public static async Task<InProcessPbx> StartCallCenterAsync(Action<PbxOptions>? configure = null,
        DateTimeOffset? startAt = null, string? configDirectory = null, ICallObserver? observer = null,
        CallCenterPromises? promises = null)
    {
        CallCenter? center = null;
        var pbx = await StartAsync(configure: configure, startAt: startAt, configDirectory: configDirectory, observer: observer,
            build: (options, time, prompts, locations, configDir) =>
            {
                center = new CallCenter(options, prompts, locations, configDir, time, NullLoggerFactory.Instance, time, promises: promises);
                return (center, center);
            });
        pbx.CallCenter = center;
        return pbx;
    }

    /// <summary>Starts a server on the sample configuration, with <paramref name="configure"/> applied to the options.</summary>
    public static async Task<InProcessPbx> StartAsync(ICallApplications? applications = null, IAgentTransfers? transfers = null,
        Action<PbxOptions>? configure = null,
        Func<PbxOptions, FakeTimeProvider, PromptLibrary, LocationTable, string, (ICallApplications, IAgentTransfers)>? build = null,
        DateTimeOffset? startAt = null, string? configDirectory = null, ICallObserver? observer = null)
    {
        var configDir = configDirectory ?? Path.Combine(AppContext.BaseDirectory, "config");
        var (configuration, _) = TelephonyConfiguration.Load([
            $"--paths:configDirectory={configDir}",
            $"--paths:soundsDirectory={Path.Combine(AppContext.BaseDirectory, "sounds")}",
            $"--sip:address={ServerAddress.Address}", "--sip:tcpPort=0",
        ]);
        var options = TelephonyConfiguration.BindPbx(configuration);
        configure?.Invoke(options);
        var time = new FakeTimeProvider(startAt ?? OfficeHours);
        var network = new InMemorySipNetwork();
        var recorder = new RecordingObserver();
        var mediaNetwork = new InMemoryMediaNetwork(ServerAddress.Address);
        var prompts = new PromptLibrary(options.SoundsDirectory);
        var locations = new LocationTable(time);
        if (build is not null)
        {
            (applications, transfers) = build(options, time, prompts, locations, configDir);
            if (applications is CallCenter center)
            {
                await center.StartAsync(CancellationToken.None);
            }
        }
        var server = new PbxServer(options, new PbxPorts
        {
            Observer = observer is null ? recorder : new CallObserverFan(recorder, observer),
            Applications = applications ?? CallApplications.None,
            Transfers = transfers ?? CallApplications.NoTransfers,
            Transport = new InMemorySipTransport(network, ServerAddress),
            MediaTransport = mediaNetwork,
            MediaPacing = MediaPacing.TimeProvider,
            Prompts = prompts,
            Locations = locations,
        }, NullLoggerFactory.Instance, time);
        await server.StartAsync();
        return new InProcessPbx(options, time, network, server, recorder, mediaNetwork) { _ownedConfig = configDirectory };
    }

    /// <summary>A phone for <paramref name="extension"/> (password from the sample: pass + number) on its own address.</summary>
    public SipTestPeer Phone(string extension, string? password = null)
    {
        var address = new IPEndPoint(IPAddress.Parse($"10.0.1.{Interlocked.Increment(ref _nextPhone)}"), 5060);
        var peer = new SipTestPeer(Network, address, ServerEndPoint, extension, password ?? "pass" + extension);
        _peers.Add(peer);
        return peer;
    }

    /// <summary>A registered phone for <paramref name="extension"/>.</summary>
    public async Task<SipTestPeer> RegisteredPhoneAsync(string extension)
    {
        var phone = Phone(extension);
        var ok = await phone.RegisterAsync();
        Assert.Equal(200, ok.StatusCode);
        return phone;
    }

    /// <summary>The sample trunk (127.0.0.2:5060): calls from it need no credentials.</summary>
    public SipTestPeer Trunk()
    {
        if (_trunk is null)
        {
            _trunk = new SipTestPeer(Network, new IPEndPoint(IPAddress.Parse("127.0.0.2"), 5060), ServerEndPoint, "+15550000001");
            _peers.Add(_trunk);
        }
        return _trunk;
    }

    private SipTestPeer? _trunk;

    /// <summary>The call the server created for the INVITE with <paramref name="callId"/> (waits up to 5 s).</summary>
    public async Task<Call> CallAsync(string callId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (Observer.Started.FirstOrDefault(c => c.Id == callId) is { } call)
            {
                return call;
            }
            await Task.Delay(5);
        }
        throw new TimeoutException($"no call {callId}");
    }

    /// <summary>A media endpoint for a test phone (in-memory RTP at <paramref name="host"/>), ticked with the server's media.</summary>
    public RtpTestPeer RtpPeer(string host = "10.0.2.1")
    {
        var peer = new RtpTestPeer(MediaNetwork, IPAddress.Parse(host));
        lock (_media)
        {
            _media.Add(peer);
        }
        return peer;
    }

    /// <summary>
    /// Runs media for <paramref name="duration"/> of fake time: every 20 ms the clock moves, the server's media loops
    /// tick (receive, decode, render, encode, send) and every test phone sends a frame and reads what it got; the
    /// call layer's work runs between ticks.
    /// </summary>
    public Task TickAsync(TimeSpan duration) => TickAsync(duration, pauseEveryTicks: 5);

    private async Task TickAsync(TimeSpan duration, int pauseEveryTicks)
    {
        var frame = TimeSpan.FromMilliseconds(20);
        for (var t = TimeSpan.Zero; t < duration; t += frame)
        {
            Time.Advance(frame); // the media loops tick on the fake clock (MediaPacing.TimeProvider)
            lock (_media)
            {
                foreach (var peer in _media)
                {
                    peer.Tick();
                }
            }
            // Let the call layer's work run between ticks: a yield each frame, a real pause every few frames (100 ms of
            // call time while audio is checked; 500 ms while the test only waits for timers).
            if (++_ticks % pauseEveryTicks == 0)
            {
                await Task.Delay(1);
            }
            else
            {
                await Task.Yield();
            }
        }
    }

    /// <summary>Ticks media until <paramref name="done"/> holds, at most <paramref name="limit"/> of fake time.</summary>
    public async Task TickUntilAsync(Func<bool> done, TimeSpan limit, string what)
    {
        var frame = TimeSpan.FromMilliseconds(20);
        for (var t = TimeSpan.Zero; t < limit; t += frame)
        {
            if (done())
            {
                return;
            }
            await TickAsync(frame);
        }
        Assert.Fail($"{what}: not within {limit.TotalSeconds} s of call time");
    }

    /// <summary>
    /// Moves the fake clock forward by <paramref name="by"/>. Media runs on the same clock (the server's loops tick every
    /// 20 ms of it), so the test phones tick with it too: they keep sending (a silent phone would be hung up after
    /// rtp.timeoutSeconds) and keep draining what they receive (their sockets' queues are bounded).
    /// </summary>
    public Task AdvanceAsync(TimeSpan by) => TickAsync(by, pauseEveryTicks: 25);

    public async ValueTask DisposeAsync()
    {
        await Server.Calls.HangupAllAsync(TimeSpan.FromSeconds(1));
        await Server.DisposeAsync();
        if (CallCenter is not null)
        {
            await CallCenter.DisposeAsync();
        }
        foreach (var peer in _peers)
        {
            await peer.DisposeAsync();
        }
        foreach (var peer in _media)
        {
            peer.Dispose();
        }
        await Network.DisposeAsync();
        if (_ownedConfig is not null && _ownedConfig.StartsWith(TempConfigRoot, StringComparison.Ordinal))
        {
            Directory.Delete(_ownedConfig, recursive: true);
        }
    }
}
