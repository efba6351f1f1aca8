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
    ILoggerFactory loggerFactory)
{
    public SipStack Stack { get; } = stack;
    public MediaEngine Media { get; } = media;
    public MediaNegotiator Negotiator { get; } = negotiator;

    /// <summary>Registered contacts of extensions (RFC 3261 §10): who a call rings.</summary>
    public LocationTable Locations { get; } = locations;
    public PbxOptions Options { get; } = options;

    /// <summary>Receives every call's life cycle (never null: <see cref="CallObservers.None"/> when nobody listens).</summary>
    public ICallObserver Observer { get; } = observer;
    public ICallRegistry Registry { get; } = registry;
    public TimeProvider Time { get; } = time;
    public ILoggerFactory LoggerFactory { get; } = loggerFactory;

    /// <summary>How long an extension, agent or trunk is rung before we give up (CANCEL, RFC 3261 §9.1).</summary>
    public TimeSpan RingTimeout => TimeSpan.FromSeconds(Options.Sip.RingTimeoutSeconds);
}
