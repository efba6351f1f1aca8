namespace Telephony.Pbx.Media;

/// <summary>
/// Audio codecs the media engine transcodes between: G.711 (RFC 3551 §4.5.14: PCMU = PT 0, PCMA = PT 8, 8 kHz) and
/// Opus (RFC 6716, RTP payload RFC 7587: dynamic PT, 48 kHz RTP clock).
/// </summary>
public enum AudioCodec
{
    Pcmu,
    Pcma,
    Opus,
}
