using System.Net;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// Result of an RFC 3264 offer/answer exchange for the one audio stream we use: where to send, which codec, and
/// which way media flows. <see cref="Direction"/> is from OUR point of view (SendOnly = we send, the peer does not).
/// </summary>
/// <param name="RemoteAddress">Where to send RTP (0.0.0.0 when the peer used RFC 2543 hold).</param>
/// <param name="RemotePort">Peer RTP port.</param>
/// <param name="CodecName">Encoding name as we know it ("PCMU", "PCMA").</param>
/// <param name="PayloadType">Payload type to use in both directions (the offerer's number).</param>
/// <param name="ClockRateHz">RTP clock rate [Hz].</param>
/// <param name="TelephoneEventPayloadType">RFC 4733 payload type, or null when not negotiated.</param>
/// <param name="Direction">Our media direction.</param>
/// <param name="PacketTimeMs">Packet time to send with [ms] (peer's a=ptime, else ours).</param>
/// <param name="MediaIndex">Index of the negotiated m= line.</param>
/// <param name="IsHeldByRemote">
/// True when the peer's SDP does not let it receive (a=sendonly/inactive, or c=0.0.0.0 per RFC 3264 §8.4).
/// </param>
public sealed record NegotiatedMedia(
    IPAddress RemoteAddress,
    int RemotePort,
    string CodecName,
    int PayloadType,
    int ClockRateHz,
    int? TelephoneEventPayloadType,
    SdpDirection Direction,
    int PacketTimeMs,
    int MediaIndex,
    bool IsHeldByRemote)
{
    /// <summary>
    /// A second RFC 4733 telephone-event payload type that both our offer and the peer's answer list, at another clock
    /// rate than <see cref="TelephoneEventPayloadType"/>: accepted on receive, never sent. RFC 4733 §2.4.1 asks for the
    /// audio codec's clock, but Chromium answering our Opus offer (with telephone-event/8000 and /48000) sends its keys
    /// as telephone-event/8000 all the same.
    /// </summary>
    public int? AlternateTelephoneEventPayloadType { get; init; }
}
