namespace Telephony.Pbx.Media;

/// <summary>Audio codecs the media engine transcodes between (RFC 3551 §4.5.14: PCMU = PT 0, PCMA = PT 8).</summary>
public enum AudioCodec
{
    Pcmu,
    Pcma,
}
