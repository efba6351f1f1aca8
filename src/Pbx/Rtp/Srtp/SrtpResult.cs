namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// Outcome of protecting or unprotecting one SRTP/SRTCP packet (RFC 3711 §3.3, §3.4). Anything but <see cref="Ok"/>
/// means the packet must be dropped; the value is meant as a drop-counter index.
/// </summary>
public enum SrtpResult
{
    Ok = 0,

    /// <summary>Shorter than the RTP fixed header (or the 8-byte RTCP header) plus the tag and SRTCP index.</summary>
    TooShort,

    /// <summary>Version is not 2, or the CSRC list / header extension runs into the tag.</summary>
    BadHeader,

    /// <summary>The tag does not match (RFC 3711 §3.3 step 5): forged, corrupted or keyed differently.</summary>
    AuthenticationFailed,

    /// <summary>The index was already received inside the replay window (RFC 3711 §3.3.2).</summary>
    Replayed,

    /// <summary>The index is behind the replay window, or before the stream's first packet (RFC 3711 §3.3.2).</summary>
    TooOld,

    /// <summary>Protect: the buffer has no room past the packet for the tag (and SRTCP index).</summary>
    BufferTooSmall,

    /// <summary>Protect: the outbound context already holds its maximum number of SSRCs.</summary>
    SsrcLimitReached,

    /// <summary>The packet index space is used up (2^48 SRTP, 2^31 SRTCP): the key must be renewed (RFC 3711 §9.2).</summary>
    IndexExhausted,
}
