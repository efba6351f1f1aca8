using Microsoft.Extensions.Logging;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Calls;

/// <summary>
/// What every call kind needs from the server, shared by all calls: SIP signalling, media sessions and SDP offer/answer
/// (RFC 3264), the registered contacts a call rings, the configuration, the clock, the observer that records the
/// call, and the registry that finds a call's legs for in-dialog requests. What only one kind needs (the applications
/// that take application calls, the supervised call, a prompt) comes through that kind's own constructor.
/// </summary>
public sealed class CallContext(
    SipStack stack,
    MediaEngine media,
    MediaNegotiator negotiator,
    LocationTable locations,
    PbxOptions options,
    ICallObserver observer,
    ICallRegistry registry,
    TimeProvider time,
    ILoggerFactory loggerFactory,
    IContactResolver? contacts = null)
{
    public SipStack Stack { get; } = stack;
    public MediaEngine Media { get; } = media;
    public MediaNegotiator Negotiator { get; } = negotiator;

    /// <summary>Registered contacts of extensions (RFC 3261 §10): who a call rings.</summary>
    public LocationTable Locations { get; } = locations;

    /// <summary>The contacts a call rings for a person: <see cref="Locations"/>, or through the cluster proxy.</summary>
    public IContactResolver Contacts { get; } = contacts ?? new ContactResolver(locations, proxy: null, time);
    public PbxOptions Options { get; } = options;

    /// <summary>Receives every call's life cycle (never null: <see cref="CallObservers.None"/> when nobody listens).</summary>
    public ICallObserver Observer { get; } = observer;
    public ICallRegistry Registry { get; } = registry;
    public TimeProvider Time { get; } = time;
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>
    /// The "Telephony.Call" logger every call writes to, created once: a logger factory need not cache (Serilog's
    /// creates a logger, its contextual logger and an event-id cache per call), which is garbage per call setup.
    /// </summary>
    public ILogger CallLogger { get; } = loggerFactory.CreateLogger("Telephony.Call");

    private Dictionary<System.Net.IPAddress, MediaSecurity>? _trunkSecurity;

    /// <summary>
    /// The media security of a leg to or from <paramref name="peer"/>: the trunk's <c>srtp</c> when the address is one
    /// of a trunk's <c>allowFrom</c> or its outbound host, otherwise the phones' <c>rtp.srtp</c>.
    /// </summary>
    public MediaSecurity SecurityFor(Sip.Transport.SipEndPoint peer)
    {
        _trunkSecurity ??= TrunkSecurity(Options);
        var address = peer.EndPoint.Address.IsIPv4MappedToIPv6 ? peer.EndPoint.Address.MapToIPv4() : peer.EndPoint.Address;
        return _trunkSecurity.TryGetValue(address, out var trunk) ? trunk : MediaSecurities.Parse(Options.Rtp.Srtp);
    }

    private static Dictionary<System.Net.IPAddress, MediaSecurity> TrunkSecurity(PbxOptions options)
    {
        var map = new Dictionary<System.Net.IPAddress, MediaSecurity>();
        foreach (var trunk in options.Trunks)
        {
            var security = MediaSecurities.Parse(trunk.Srtp);
            foreach (var a in trunk.AllowFrom)
            {
                if (System.Net.IPAddress.TryParse(a, out var ip))
                {
                    map.TryAdd(ip, security);
                }
            }
            if (trunk.Outbound is { } outbound && System.Net.IPAddress.TryParse(outbound.Host, out var host))
            {
                map.TryAdd(host, security);
            }
        }
        return map;
    }

    /// <summary>How long an extension, agent or trunk is rung before we give up (CANCEL, RFC 3261 §9.1).</summary>
    public TimeSpan RingTimeout => TimeSpan.FromSeconds(Options.Sip.RingTimeoutSeconds);
}
