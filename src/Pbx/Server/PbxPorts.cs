using System.Security.Cryptography.X509Certificates;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Server;

/// <summary>
/// What a host plugs into the <see cref="PbxServer"/>, all through constructor injection: who records calls, which
/// applications answer which numbers, what a transfer by the bridged agent does, and the prompt library and location
/// table the host's applications share with the PBX, and the SIP transport (created by the server when not given).
/// </summary>
public sealed class PbxPorts
{
    public ICallObserver Observer { get; init; } = CallObservers.None;
    public ICallApplications Applications { get; init; } = CallApplications.None;
    public IAgentTransfers Transfers { get; init; } = CallApplications.NoTransfers;
    public PromptLibrary? Prompts { get; init; }
    public LocationTable? Locations { get; init; }

    /// <summary>The media engine, started and stopped by its owner (when not given the server makes one from
    /// <c>rtp.*</c> and owns it); tests give one on an in-memory network, ticked by hand.</summary>
    public MediaEngine? Media { get; init; }

    /// <summary>The server certificate with its private key for SIP over TLS on <c>sip.tlsPort</c> (the host gives the
    /// one HTTPS uses); without it no TLS listener is opened.</summary>
    public X509Certificate2? TlsCertificate { get; init; }

    /// <summary>The SIP transport (UDP/TCP sockets when not given; in-memory in the call-layer tests).</summary>
    public ISipTransport? Transport { get; init; }

    /// <summary>SIP over WebSocket (RFC 7118), fed by the host's HTTP endpoint; none when not given.</summary>
    public WebSocketSipTransport? WebSockets { get; init; }

    /// <summary>
    /// Where RTP sessions get their channels (UDP sockets over <c>rtp.portMin..portMax</c> when not given; an
    /// <see cref="Media.Transport.InMemory.InMemoryMediaNetwork"/> in call-layer tests).
    /// </summary>
    public IMediaTransport? MediaTransport { get; init; }

    /// <summary>What ticks the media loops (their own threads by default; <see cref="MediaPacing.TimeProvider"/> with
    /// a FakeTimeProvider runs media in step with the SIP timers in call-layer tests).</summary>
    public MediaPacing MediaPacing { get; init; } = MediaPacing.LoopThreads;
}
