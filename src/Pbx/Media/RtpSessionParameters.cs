using System.Net;

namespace Telephony.Pbx.Media;

/// <summary>
/// Negotiated media parameters of one RTP session (the result of an RFC 3264 offer/answer): where to send, which
/// G.711 law and payload type, the RFC 4733 telephone-event payload type if any, and the direction.
/// </summary>
public sealed record RtpSessionParameters(
    IPEndPoint Remote,
    AudioCodec Codec,
    int PayloadType,
    int? TelephoneEventPayloadType,
    MediaDirection Direction)
{
    /// <summary>A second telephone-event payload type accepted on receive (the other clock rate), never sent; null: none.</summary>
    public int? AlternateTelephoneEventPayloadType { get; init; }

    /// <summary>Encoder settings when <see cref="Codec"/> is Opus (RFC 7587); null = <see cref="Codecs.OpusEncoderSettings.Default"/>.</summary>
    public Codecs.OpusEncoderSettings? Opus { get; init; }
}
