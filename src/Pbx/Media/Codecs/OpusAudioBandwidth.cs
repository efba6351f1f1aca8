namespace Telephony.Pbx.Media.Codecs;

/// <summary>Audio bandwidth of an Opus frame (RFC 6716 §2, Table 1; signalled in the TOC byte, §3.1).</summary>
public enum OpusAudioBandwidth
{
    /// <summary>NB: 4 kHz audio bandwidth, 8 kHz effective sample rate.</summary>
    Narrowband,
    /// <summary>MB: 6 kHz, 12 kHz.</summary>
    Mediumband,
    /// <summary>WB: 8 kHz, 16 kHz.</summary>
    Wideband,
    /// <summary>SWB: 12 kHz, 24 kHz.</summary>
    SuperWideband,
    /// <summary>FB: 20 kHz, 48 kHz.</summary>
    Fullband,
}
