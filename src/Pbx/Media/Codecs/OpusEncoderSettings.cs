namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Settings of an <see cref="OpusFrameEncoder"/> (RFC 6716 §2.1; RTP use per RFC 7587 §3.1). The defaults suit voice
/// from the 8 kHz engine to a browser: 24 kb/s VBR, complexity 5, at most wideband, in-band FEC on with 10 % expected
/// loss, DTX off.
/// </summary>
public sealed record OpusEncoderSettings
{
    /// <summary>The defaults.</summary>
    public static OpusEncoderSettings Default { get; } = new();

    /// <summary>
    /// Target bitrate in bits per second (6000–510000). 24 kb/s leaves SILK room for wideband speech plus its LBRR
    /// copy; voice from an 8 kHz source needs less.
    /// </summary>
    public int BitrateBps { get; init; } = 24_000;

    /// <summary>
    /// CPU/quality trade-off, 0–10. Measured per 20 ms mono frame (README): 1 ≈ 70 µs, 5 ≈ 200 µs, 9 ≈ 400 µs with
    /// native libopus; 5 is the default.
    /// </summary>
    public int Complexity { get; init; } = 5;

    /// <summary>
    /// Widest audio band the encoder may code. The engine's audio is 8 kHz (4 kHz wide), so wideband loses nothing and
    /// keeps Opus in SILK mode, where in-band FEC lives: left to itself at 24 kb/s the managed port picks hybrid
    /// fullband and leaves SILK too few bits for LBRR. Raise it if the engine ever carries wider audio.
    /// </summary>
    public OpusAudioBandwidth MaxBandwidth { get; init; } = OpusAudioBandwidth.Wideband;

    /// <summary>Put LBRR (a low-bitrate copy of each frame) into the next packet, so the receiver can rebuild a loss.</summary>
    public bool InbandFec { get; init; } = true;

    /// <summary>
    /// Loss the encoder plans for, 0–100 %. LBRR is only coded when this is above 0, and more of it the higher it is.
    /// Update it from RTCP receiver reports with <see cref="OpusFrameEncoder.SetExpectedPacketLoss"/>.
    /// </summary>
    public int ExpectedPacketLossPercent { get; init; } = 10;

    /// <summary>
    /// Discontinuous transmission (RFC 6716 §2.1.9, RFC 7587 §3.1.3): during silence only one frame in 400 ms is coded;
    /// the others come out as packets of 2 bytes or fewer that need not be sent.
    /// </summary>
    public bool Dtx { get; init; }

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(BitrateBps, 6000, nameof(BitrateBps));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BitrateBps, 510_000, nameof(BitrateBps));
        ArgumentOutOfRangeException.ThrowIfNegative(Complexity, nameof(Complexity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Complexity, 10, nameof(Complexity));
        ArgumentOutOfRangeException.ThrowIfNegative(ExpectedPacketLossPercent, nameof(ExpectedPacketLossPercent));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ExpectedPacketLossPercent, 100, nameof(ExpectedPacketLossPercent));
    }
}
