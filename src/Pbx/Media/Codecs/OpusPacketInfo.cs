namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// What the TOC byte and frame packing of one Opus packet say (RFC 6716 §3.1–§3.2), read by
/// <see cref="OpusPacket.TryParse"/> without decoding audio. Durations are in samples at 48 kHz, the RTP clock of
/// RFC 7587 §4.1, whatever the coded bandwidth.
/// </summary>
public readonly record struct OpusPacketInfo
{
    /// <summary>The TOC configuration number, 0–31 (RFC 6716 §3.1, Table 2).</summary>
    public int Configuration { get; init; }

    public OpusCodingMode Mode { get; init; }
    public OpusAudioBandwidth Bandwidth { get; init; }

    /// <summary>The TOC "s" bit: the frames code two channels (a mono decoder downmixes them).</summary>
    public bool IsStereo { get; init; }

    /// <summary>Frames in the packet: 1 (code 0), 2 (codes 1 and 2) or 1–48 (code 3).</summary>
    public int FrameCount { get; init; }

    /// <summary>Duration of each frame in samples at 48 kHz: 120 (2.5 ms) to 2880 (60 ms).</summary>
    public int SamplesPerFrame { get; init; }

    /// <summary>Duration of the whole packet in samples at 48 kHz (at most 5760 = 120 ms).</summary>
    public int Samples => FrameCount * SamplesPerFrame;

    /// <summary>Offset of the first frame's compressed bytes in the packet.</summary>
    public int FirstFrameOffset { get; init; }

    /// <summary>Length of the first frame's compressed bytes; 0 means DTX or a lost frame (RFC 6716 §3.2.1).</summary>
    public int FirstFrameLength { get; init; }

    /// <summary>
    /// The first frame carries LBRR (in-band FEC) data for the frame before it: the SILK header's LBRR flag
    /// (RFC 6716 §4.2.3, §4.2.4) is set. Only then can the previous, lost packet be rebuilt from this one.
    /// </summary>
    public bool HasLbrr { get; init; }
}
