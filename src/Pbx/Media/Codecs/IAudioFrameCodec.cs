namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// One session's audio codec (an RTP payload format, RFC 3551 §4.5 for G.711, RFC 7587 for Opus): turns one 20 ms
/// frame of the media loop's PCM (8 kHz, 160 samples) into an RTP
/// payload and back. A codec with another rate resamples inside. Stateful codecs get one instance per session (from
/// <see cref="AudioFrameCodecs.Create"/>); all calls come from the session's media loop and must not allocate.
/// </summary>
public interface IAudioFrameCodec : IDisposable
{
    /// <summary>The RTP clock rate, which RTP timestamps and RFC 3550 jitter count in (8000 for G.711, 48000 for Opus).</summary>
    int ClockRateHz { get; }

    /// <summary>RTP timestamp units per 20 ms frame (<see cref="ClockRateHz"/> / 50).</summary>
    int TimestampUnitsPerFrame { get; }

    /// <summary>
    /// Largest payload the jitter buffer must hold for this codec [bytes]: 320 for G.711 (up to 40 ms), 1275 for Opus
    /// (RFC 6716 §3.4 [R2], the largest frame).
    /// </summary>
    int MaxPayloadBytes { get; }

    /// <summary>Encodes 160 samples into <paramref name="payload"/>; returns the payload length (0 = nothing to send).</summary>
    int Encode(ReadOnlySpan<short> pcm, Span<byte> payload);

    /// <summary>Decodes one payload into 160 samples; false when it is unusable (then treated as missing).</summary>
    bool Decode(ReadOnlySpan<byte> payload, Span<short> pcm);

    /// <summary>
    /// Fills one missing frame (packet loss concealment); false when the codec has none, and the session fades the
    /// previous frame instead.
    /// </summary>
    bool Conceal(Span<short> pcm);

    /// <summary>
    /// Rebuilds one missing frame from redundancy carried by the packet after it (<paramref name="nextPayload"/>, still
    /// in the jitter buffer and decoded normally at its own turn): Opus in-band FEC, RFC 6716 §2.1.7. False when the
    /// codec has no such data (G.711, an Opus packet without LBRR); the session then conceals.
    /// </summary>
    bool Recover(ReadOnlySpan<byte> nextPayload, Span<short> pcm);
}
