using System.Net;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// What our side puts in an offer or answer (RFC 3264 §5, §6): RTP address and port, codecs in our preference order,
/// RFC 4733 telephone-event, ptime, direction, and the o= session id/version. Use <c>with</c> to change one field,
/// e.g. <c>local with { SessionVersion = local.SessionVersion + 1, Direction = SdpDirection.SendOnly }</c> for hold.
/// </summary>
public sealed record LocalMediaConfig
{
    /// <summary>Address the peer should send RTP to (c= line; for ICE the default candidate's, RFC 8839 §4.2.1.1).</summary>
    public required IPAddress Address { get; init; }

    /// <summary>Our RTP port.</summary>
    public required int Port { get; init; }

    /// <summary>Supported codecs in our preference order (default PCMU, PCMA).</summary>
    public IReadOnlyList<SdpCodec> Codecs { get; init; } = [SdpCodec.Pcmu, SdpCodec.Pcma];

    /// <summary>Payload type we offer for telephone-event/8000, or null to not support RFC 4733 events at all.</summary>
    public int? TelephoneEventPayloadType { get; init; } = 101;

    /// <summary>
    /// Payload type we offer for telephone-event/48000 when a 48 kHz codec (Opus) is offered: RFC 4733 §2.4.1 events
    /// use the clock of the audio they go with. Null = none. Answers always carry the one that matches the chosen codec.
    /// </summary>
    public int? TelephoneEvent48kPayloadType { get; init; } = 110;

    /// <summary>a=fmtp events list for telephone-event (RFC 4733 §2.4.1).</summary>
    public string TelephoneEvents { get; init; } = "0-16";

    /// <summary>a=ptime we ask for [ms].</summary>
    public int PacketTimeMs { get; init; } = 20;

    /// <summary>Direction we want (SendOnly or Inactive to put the peer on hold).</summary>
    public SdpDirection Direction { get; init; } = SdpDirection.SendRecv;

    /// <summary>o= sess-id; keep it for the whole dialog.</summary>
    public ulong SessionId { get; init; }

    /// <summary>o= sess-version; increase by one for each changed re-offer/answer.</summary>
    public ulong SessionVersion { get; init; }

    /// <summary>o= username.</summary>
    public string UserName { get; init; } = "-";

    /// <summary>s= text.</summary>
    public string SessionName { get; init; } = "Telephony";

    /// <summary>RTP profiles (m= proto) we accept in an offer (RFC 3551 RTP/AVP; RFC 3711 RTP/SAVP for SRTP).</summary>
    public IReadOnlyList<string> AcceptedProtocols { get; init; } = [RtpProfiles.Avp];

    /// <summary>The m= proto of our offers.</summary>
    public string OfferProtocol { get; init; } = RtpProfiles.Avp;

    /// <summary>Session-level attributes added to our offer (e.g. a=ice-lite, a=group:BUNDLE).</summary>
    public IReadOnlyList<SdpAttribute> OfferSessionAttributes { get; init; } = [];

    /// <summary>Media-level attributes added to our offer's m= line (e.g. RFC 4568 a=crypto).</summary>
    public IReadOnlyList<SdpAttribute> OfferAttributes { get; init; } = [];
}
