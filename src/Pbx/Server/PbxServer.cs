using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Security;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Server;

/// <summary>
/// The PBX engine assembled: SIP transports, transaction layer, registrar, call manager and media engine.
/// The host creates one, starts it, and stops it on shutdown (which ends every call with BYE).
/// </summary>
public sealed class PbxServer : IAsyncDisposable, ISipTransactionUser
{
    private readonly PbxOptions _options;
    private readonly ILogger _logger;
    private readonly ISipTransport _transport;
    private readonly SipTransactionLayer _transactions;
    private readonly RegistrarService _registrar;
    private readonly SipSecurityGate _security;
    private readonly ITimer _sweepTimer;
    private readonly bool _ownsMedia;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2? _tlsCertificate;

    /// <summary>A server with no applications and no call records (test numbers and extensions only).</summary>
    public PbxServer(PbxOptions options, ILoggerFactory loggerFactory, TimeProvider? time = null)
        : this(options, new PbxPorts(), loggerFactory, time)
    {
    }

    /// <summary>
    /// The server with what the host plugs in (<paramref name="ports"/>: call observer, applications, transfers, and
    /// the prompt library and location table they share with the PBX).
    /// </summary>
    public PbxServer(PbxOptions options, PbxPorts ports, ILoggerFactory loggerFactory, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(ports);
        time ??= TimeProvider.System;
        _options = options;
        _logger = loggerFactory.CreateLogger<PbxServer>();
        Directory = new PbxDirectory(options);

        var listen = IPAddress.Parse(options.Sip.Address);
        var advertised = string.IsNullOrEmpty(options.Sip.AdvertisedAddress) ? null : IPAddress.Parse(options.Sip.AdvertisedAddress);
        var sockets = ports.Transport is null
            ? new SipTransportLayer(loggerFactory.CreateLogger<SipTransportLayer>())
            {
                // A phone registered over TLS is only reachable over its connection: keep it while the binding lives.
                TlsIdleTimeout = TimeSpan.FromSeconds(options.Sip.MaxExpires + 60),
            }
            : null;
        _transport = ports.Transport ?? sockets!;
        TransportCounters = sockets?.Counters;
        _tlsCertificate = ports.TlsCertificate;
        if (ports.WebSockets is { } webSockets)
        {
            _transport = new SipTransports(_transport, webSockets);
        }
        // Behind Kamailio: 100 Trying at once to its INVITEs, so a node slow to answer (load) is never failed over by the
        // proxy's fr_timer while it still takes the call (the caller would get two answered calls, one Call-ID).
        System.Net.IPAddress[]? proxies = options.Cluster.ProxyEndPoint is { } proxyEndPoint ? [proxyEndPoint.Address] : null;
        var timers = options.Sip.TryingDelayMs > 0 && options.Sip.TryingDelayMs != 200
            ? SipTimers.Default with { TryingDelay = TimeSpan.FromMilliseconds(options.Sip.TryingDelayMs) }
            : null;
        _transactions = new SipTransactionLayer(_transport, this, time, loggerFactory.CreateLogger<SipTransactionLayer>(), timers,
            tryingAtOnceFrom: proxies);
        Stack = new SipStack(_transport, _transactions, new LocalAddressResolver(listen, advertised), options.Sip.UserAgent);

        _ownsMedia = ports.Media is null;
        Media = ports.Media ?? new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Parse(options.Rtp.Address),
            PortMin = options.Rtp.PortMin,
            PortMax = options.Rtp.PortMax,
            LoopCount = options.Rtp.Loops > 0 ? options.Rtp.Loops : Environment.ProcessorCount,
            RtpTimeout = TimeSpan.FromSeconds(options.Rtp.TimeoutSeconds),
            Transport = ports.MediaTransport,
            Pacing = ports.MediaPacing,
        }, loggerFactory, time);

        var algorithms = (options.Sip.DigestAlgorithms.Count == 0 ? ["MD5"] : options.Sip.DigestAlgorithms)
            .Select(ParseAlgorithm).ToList();
        var digest = new DigestAuthenticator(options.Sip.Realm, RandomNumberGenerator.GetBytes(32), time,
            TimeSpan.FromSeconds(options.Sip.NonceLifetimeSeconds));
        SipBans = new SipBanList(SecuritySettings(options), time, loggerFactory.CreateLogger<SipBanList>());
        _security = new SipSecurityGate(SipBans, Stack, loggerFactory.CreateLogger<SipSecurityGate>());
        var auth = new SipAuthenticator(digest, Directory, algorithms, _security, loggerFactory.CreateLogger<SipAuthenticator>());
        Locations = ports.Locations ?? new LocationTable(time, loggerFactory.CreateLogger<LocationTable>());
        if (ports.WebSockets is { } closing)
        {
            // RFC 7118 §5: a browser's contact is reachable only over its connection; once it closes, so does the binding.
            closing.ConnectionClosed += (_, peer) => OnSipConnectionClosed(peer);
        }
        _registrar = new RegistrarService(Stack, auth, Locations, options.Sip, time, loggerFactory.CreateLogger<RegistrarService>());
        Prompts = ports.Prompts ?? new PromptLibrary(options.SoundsDirectory);
        var webRtc = new WebRtcMediaSettings
        {
            PublicAddress = string.IsNullOrEmpty(options.Rtp.PublicAddress) ? null : IPAddress.Parse(options.Rtp.PublicAddress),
            Time = time,
        };
        _logger.LogInformation("Opus: {OpusVersion}", Telephony.Pbx.Media.Codecs.OpusRuntime.Version); // probes once, off the media loops
        Calls = new CallManager(Stack, Media, new MediaNegotiator(Stack.Addresses, webRtc,
            Telephony.Pbx.Media.Codecs.OpusEncoderSettings.Default with { Complexity = options.Rtp.OpusComplexity }), Prompts, Directory, Locations, auth,
            options, ports.Observer, ports.Applications, ports.Transfers, time, loggerFactory);
        _sweepTimer = time.CreateTimer(_ =>
        {
            Locations.SweepExpired();
            SipBans.Sweep();
        }, null, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// A SIP connection closed (a browser's WebSocket): calls whose agent leg went over it park their customer for the
    /// re-attach grace (<c>rtp.webRtcReattachGraceSeconds</c>), then the bindings registered through it go (RFC 7118 §5:
    /// unreachable now), which logs the agent out of the queues until the page registers again.
    /// </summary>
    public void OnSipConnectionClosed(SipEndPoint peer)
    {
        Calls.OnTransportLost(peer);
        Locations.RemoveBySource(peer);
    }

    public SipStack Stack { get; }
    public MediaEngine Media { get; }
    public CallManager Calls { get; }
    public LocationTable Locations { get; }
    public PbxDirectory Directory { get; }
    public PromptLibrary Prompts { get; }
    public ISipTransport Transport => _transport;

    /// <summary>Traffic, parse error and TCP/TLS connection counters of the socket transport (null when the host gave
    /// its own transport), for <c>/health</c>.</summary>
    public TransportCounters? TransportCounters { get; }

    /// <summary>The bound TLS endpoint (<c>sip.tlsPort</c>), or null when SIP over TLS is off.</summary>
    public SipEndPoint? TlsEndPoint => _transport.LocalEndPoints.Where(e => e.Protocol == SipProtocol.Tls)
        .Select(e => (SipEndPoint?)e).FirstOrDefault();

    /// <summary>Sources banned after failed digest attempts: list, lift, counters and ban/unban events (for the host's
    /// <c>/health</c>, admin API and audit trail).</summary>
    public SipBanList SipBans { get; }

    public async Task StartAsync(CancellationToken ct = default)
    {
        var address = IPAddress.Parse(_options.Sip.Address);
        var listeners = new List<SipListenOptions>();
        if (_options.Sip.UdpPort > 0)
        {
            listeners.Add(new SipListenOptions(SipProtocol.Udp, new IPEndPoint(address, _options.Sip.UdpPort)));
        }
        if (_options.Sip.TcpPort > 0)
        {
            listeners.Add(new SipListenOptions(SipProtocol.Tcp, new IPEndPoint(address, _options.Sip.TcpPort)));
        }
        if (_options.Sip.TlsPort > 0 && _tlsCertificate is not null)
        {
            listeners.Add(new SipListenOptions(SipProtocol.Tls, new IPEndPoint(address, _options.Sip.TlsPort), _tlsCertificate));
        }
        else if (_options.Sip.TlsPort > 0)
        {
            _logger.LogWarning("SIP over TLS is off: no certificate was given for sip.tlsPort {Port}", _options.Sip.TlsPort);
        }
        try
        {
            await _transport.StartAsync(listeners, _transactions, ct);
        }
        catch (System.Net.Sockets.SocketException ex) when (ex.SocketErrorCode == System.Net.Sockets.SocketError.AddressAlreadyInUse)
        {
            throw new PbxStartupException(
                $"SIP port {_options.Sip.UdpPort}/udp, {_options.Sip.TcpPort}/tcp or {_options.Sip.TlsPort}/tls on {address} is already in use " +
                "(is another SIP server running?). Change sip.udpPort/sip.tcpPort/sip.tlsPort or set TELEPHONY_SIP__UDPPORT / " +
                "TELEPHONY_SIP__TCPPORT / TELEPHONY_SIP__TLSPORT.", ex);
        }
        if (_ownsMedia)
        {
            Media.Start();
        }
        foreach (var prompt in new[] { _options.Numbers.PromptFile, _options.Numbers.BenchPromptFile })
        {
            if (Prompts.TryGet(prompt, out var error) is null)
            {
                _logger.LogWarning("Prompt {Prompt} could not be loaded: {Error}", prompt, error);
            }
        }
        _logger.LogInformation("SIP listening on {Endpoints}; RTP ports {Min}-{Max}; {Extensions} extensions, {Trunks} trunk(s)",
            string.Join(", ", _transport.LocalEndPoints), _options.Rtp.PortMin, _options.Rtp.PortMax,
            _options.Extensions.Count, _options.Trunks.Count);
        if (_options.Cluster.ProxyEndPoint is { } proxy)
        {
            _logger.LogInformation("Cluster node {NodeId}: people not registered here are called through the proxy {Proxy}",
                _options.Cluster.EffectiveNodeId, proxy);
        }
    }

    /// <summary>Ends all calls with BYE, then closes transports and media.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        await Calls.HangupAllAsync(grace);
    }

    /// <inheritdoc/>
    public ValueTask OnAckAsync(SipRequest ack, SipEndPoint remote) => Calls.OnAckAsync(ack, remote);

    /// <inheritdoc/>
    public ValueTask OnStrayResponseAsync(SipResponse response, SipEndPoint remote) => Calls.OnStrayResponseAsync(response, remote);

    /// <summary>A new request: a banned source's dropped or refused (403), then checked (scheme 416, Max-Forwards 483, Require 420), then REGISTER to the registrar,
    /// OPTIONS answered, a new INVITE to the call layer, in-dialog requests to their call.</summary>
    public async ValueTask OnRequestAsync(ServerTransaction tx)
    {
        if (await _security.RefuseBannedAsync(tx))
        {
            return; // a banned source: dropped or 403 before anything else
        }
        var request = tx.Request;
        if (request.RequestUri.Scheme is not ("sip" or "sips"))
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 416, "Unsupported URI Scheme"));
            return;
        }
        if (request.MaxForwards is <= 0)
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 483));
            return;
        }
        var require = request.Headers.GetAll(HeaderName.Require);
        if (require.Count > 0 && request.Method != SipMethod.Cancel)
        {
            var bad = stringJoin(require);
            var response = Stack.CreateResponse(request, 420, "Bad Extension");
            response.Headers.Add(HeaderName.Unsupported, bad);
            await tx.SendResponseAsync(response);
            return;
        }

        var inDialog = request.To?.Tag is not null;
        switch (request.Method)
        {
            case SipMethod.Register:
                await _registrar.HandleAsync(tx);
                return;
            case SipMethod.Options when !inDialog:
                // A proxy's health probe (RFC 3261 §11): 503 takes a draining node out of its rotation.
                var ok = Calls.IsDraining ? Stack.CreateResponse(request, 503, "Draining") : Stack.CreateResponse(request, 200);
                ok.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
                ok.Headers.Add(HeaderName.Accept, "application/sdp");
                await tx.SendResponseAsync(ok);
                return;
            case SipMethod.Invite when !inDialog && _options.Sip.TestInviteHoldMs > 0:
                // Test hook (sip.testInviteHoldMs): a node slow to answer, without stalling the receive loop.
                _ = Task.Run(async () =>
                {
                    await Task.Delay(_options.Sip.TestInviteHoldMs);
                    await Calls.OnInviteAsync(tx);
                });
                return;
            case SipMethod.Invite when !inDialog:
                await Calls.OnInviteAsync(tx);
                return;
            case SipMethod.Subscribe when !inDialog:
                await tx.SendResponseAsync(Stack.CreateResponse(request, 489, "Bad Event"));
                return;
        }
        if (inDialog)
        {
            await Calls.OnInDialogRequestAsync(tx);
            return;
        }
        if (request.Method is SipMethod.Bye or SipMethod.Info or SipMethod.Update or SipMethod.Prack)
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 481, "Call/Transaction Does Not Exist"));
            return;
        }
        var known = request.Method is SipMethod.Message or SipMethod.Notify or SipMethod.Refer or SipMethod.Subscribe;
        var notSupported = Stack.CreateResponse(request, known ? 405 : 501);
        notSupported.Headers.Add(HeaderName.Allow, SipStack.AllowedMethods);
        await tx.SendResponseAsync(notSupported);

        static string stringJoin(IReadOnlyList<string> values) => string.Join(", ", values);
    }

    /// <summary>The brute-force protection settings; the trunks' source addresses are always trusted (a banned trunk
    /// would lose every inbound call).</summary>
    private static SipSecuritySettings SecuritySettings(PbxOptions options)
    {
        var problems = SipSecuritySettings.Validate(options.Sip);
        if (problems.Count > 0)
        {
            throw new PbxStartupException("Invalid configuration: " + string.Join("; ", problems));
        }
        var trunks = options.Trunks.SelectMany(t => t.AllowFrom).Select(a => IPAddress.TryParse(a, out var ip) ? ip : null)
            .OfType<IPAddress>();
        return SipSecuritySettings.From(options.Sip, trunks);
    }

    private static DigestAlgorithm ParseAlgorithm(string name) => name.Trim().ToUpperInvariant() switch
    {
        "MD5" => DigestAlgorithm.Md5,
        "SHA-256" or "SHA256" => DigestAlgorithm.Sha256,
        _ => throw new InvalidOperationException($"sip.digestAlgorithms: unknown algorithm '{name}' (use SHA-256 or MD5)"),
    };

    public async ValueTask DisposeAsync()
    {
        await _sweepTimer.DisposeAsync();
        await _transactions.DisposeAsync();
        await _transport.DisposeAsync();
        if (_ownsMedia)
        {
            await Media.DisposeAsync();
        }
    }
}
