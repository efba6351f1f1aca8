using System.Net;
using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Calls;

/// <summary>
/// What the <see cref="MediaNegotiator"/> needs for WebRTC legs (RFC 8834, RFC 8827): the DTLS certificate every leg
/// presents (one self-signed ECDSA P-256 per process, RFC 8827 §6.5; its SHA-256 goes into <c>a=fingerprint</c>), the
/// address written into ICE host candidates behind a 1:1 NAT (<c>rtp.publicAddress</c>), the clock of ICE consent
/// (RFC 7675), and DTLS timers.
/// </summary>
public sealed record WebRtcMediaSettings
{
    /// <summary>Our certificate; null makes one when the negotiator is created.</summary>
    public DtlsCertificate? Certificate { get; init; }

    /// <summary>
    /// The public address of the RTP ports (cloud VM or 1:1 NAT): the first host candidate and the c= line of WebRTC
    /// legs; the local address toward the peer stays a second candidate. Null = the local address only.
    /// </summary>
    public IPAddress? PublicAddress { get; init; }

    /// <summary>Clock for ICE consent (30 s without a check ends the leg).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>DTLS settings (profiles, handshake timeout); null = the defaults.</summary>
    public DtlsAssociationOptions? Dtls { get; init; }
}
