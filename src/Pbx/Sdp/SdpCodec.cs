namespace Telephony.Pbx.Sdp;

/// <summary>An audio codec we can offer or accept (RFC 3551 §4.5 encoding name and clock rate).</summary>
/// <param name="EncodingName">rtpmap encoding name, e.g. "PCMU".</param>
/// <param name="PayloadType">Payload type we use when we offer it.</param>
/// <param name="ClockRateHz">RTP clock rate [Hz].</param>
public sealed record SdpCodec(string EncodingName, int PayloadType, int ClockRateHz)
{
    /// <summary>G.711 µ-law, static payload type 0.</summary>
    public static SdpCodec Pcmu { get; } = new("PCMU", 0, 8000);

    /// <summary>G.711 A-law, static payload type 8.</summary>
    public static SdpCodec Pcma { get; } = new("PCMA", 8, 8000);
}
