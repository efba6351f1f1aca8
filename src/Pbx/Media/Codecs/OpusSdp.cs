namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// SDP facts for Opus over RTP (RFC 7587 §6–§7) and the telephone-events that go with it (RFC 4733 §2.4.1, §7).
/// The rtpmap always says 48000 Hz and 2 channels, whatever is actually coded (RFC 7587 §7: "the media subtype …
/// MUST be opus/48000/2"); mono is the receiver's choice (<c>stereo=0</c>, the default) and a mono decoder downmixes
/// a stereo stream. The RTP timestamp counts 48 kHz samples (RFC 7587 §4.1): 960 per 20 ms frame.
/// </summary>
public static class OpusSdp
{
    /// <summary>Encoding name in <c>a=rtpmap</c> (RFC 7587 §6.1).</summary>
    public const string EncodingName = "opus";

    /// <summary>RTP clock rate (RFC 7587 §4.1): always 48000.</summary>
    public const int ClockRateHz = 48000;

    /// <summary>Channel count in <c>a=rtpmap</c>: always 2 (RFC 7587 §7).</summary>
    public const int RtpMapChannels = 2;

    /// <summary>The <c>a=rtpmap</c> value after the payload type.</summary>
    public const string RtpMap = "opus/48000/2";

    /// <summary>
    /// The <c>a=fmtp</c> value after the payload type that browsers send and we answer: packets of at least 10 ms,
    /// and we want in-band FEC (RFC 7587 §6.1 <c>minptime</c>, <c>useinbandfec</c>).
    /// </summary>
    public const string Fmtp = "minptime=10;useinbandfec=1";

    /// <summary>Format parameter names of RFC 7587 §6.1.</summary>
    public const string MinPtimeParameter = "minptime";
    public const string UseInbandFecParameter = "useinbandfec";
    public const string UseDtxParameter = "usedtx";
    public const string StereoParameter = "stereo";
    public const string SpropStereoParameter = "sprop-stereo";
    public const string MaxAverageBitrateParameter = "maxaveragebitrate";
    public const string MaxPlaybackRateParameter = "maxplaybackrate";
    public const string CbrParameter = "cbr";

    /// <summary>Samples (= RTP timestamp units) in one 20 ms packet.</summary>
    public const int TimestampUnitsPer20Ms = 960;

    /// <summary>
    /// RFC 4733 telephone-events share the clock of the audio they go with (RFC 4733 §2.4.1): next to Opus the
    /// event stream is <c>telephone-event/48000</c>; next to G.711 it stays <c>telephone-event/8000</c>.
    /// </summary>
    public const string TelephoneEvent48kRtpMap = "telephone-event/48000";

    /// <summary>The 8 kHz telephone-event for G.711 (RFC 4733 §7.1.1 default rate).</summary>
    public const string TelephoneEvent8kRtpMap = "telephone-event/8000";

    /// <summary>Events 0–15 (DTMF digits, *, #, A–D), the usual <c>a=fmtp</c> for telephone-event (RFC 4733 §2.4.1).</summary>
    public const string TelephoneEventFmtp = "0-15";
}
