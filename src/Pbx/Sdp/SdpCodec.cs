namespace Telephony.Pbx.Sdp;

/// <summary>An audio codec we can offer or accept (RFC 3551 §4.5 encoding name and clock rate).</summary>
/// <param name="EncodingName">rtpmap encoding name, e.g. "PCMU".</param>
/// <param name="PayloadType">Payload type we use when we offer it.</param>
/// <param name="ClockRateHz">RTP clock rate [Hz].</param>
/// <param name="Channels">rtpmap channel count (Opus always says 2, RFC 7587 §7).</param>
/// <param name="Fmtp">a=fmtp parameters we write for it, or null.</param>
public sealed record SdpCodec(string EncodingName, int PayloadType, int ClockRateHz, int Channels = 1, string? Fmtp = null)
{
    /// <summary>G.711 µ-law, static payload type 0.</summary>
    public static SdpCodec Pcmu { get; } = new("PCMU", 0, 8000);

    /// <summary>G.711 A-law, static payload type 8.</summary>
    public static SdpCodec Pcma { get; } = new("PCMA", 8, 8000);

    /// <summary>
    /// Opus (RFC 7587 §6.1, §7): opus/48000/2 at the payload type browsers use (111), asking for packets of at least
    /// 10 ms and in-band FEC; we send mono.
    /// </summary>
    public static SdpCodec Opus { get; } = new("opus", 111, 48000, 2, "minptime=10;useinbandfec=1");
}
