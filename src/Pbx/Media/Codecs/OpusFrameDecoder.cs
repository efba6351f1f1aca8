using Concentus;

namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Opus decoder for one RTP stream (RFC 6716 §4; RFC 7587 §4.2 payload): 48 kHz mono (a stereo stream is
/// downmixed), with the three things a receiver does per 20 ms tick: <see cref="Decode"/> the packet due,
/// <see cref="Conceal"/> a missing one (packet loss concealment), or <see cref="Recover"/> a missing one from the
/// in-band FEC (LBRR) data in the packet after it (RFC 6716 §2.1.7). Packets are checked against RFC 6716 §3.4
/// first; nothing from the network makes it throw. Created once per session and owned by its media loop (not
/// thread-safe). Allocates nothing per call when <see cref="IsNative"/>; the managed port allocates (README).
/// </summary>
public sealed class OpusFrameDecoder : IDisposable
{
    /// <summary>Samples in one 20 ms frame at 48 kHz.</summary>
    public const int FrameSamples = 960;

    /// <summary>Output room for any valid packet (120 ms at 48 kHz).</summary>
    public const int MaxPacketSamples = OpusPacket.MaxPacketSamples;

    private const int TenMsSamples = 480;

    private readonly IOpusDecoder _decoder;

    public OpusFrameDecoder()
        : this(managedOnly: false)
    {
    }

    /// <summary>Tests and benchmarks force the managed port with <paramref name="managedOnly"/>.</summary>
    internal OpusFrameDecoder(bool managedOnly)
    {
        _decoder = OpusLibrary.CreateDecoder(1, managedOnly);
        IsNative = OpusLibrary.IsNative(_decoder);
        Version = _decoder.GetVersionString();
    }

    /// <summary>True when libopus does the work (0 B per frame); false for Concentus's managed port.</summary>
    public bool IsNative { get; }

    /// <summary>The library's own version string.</summary>
    public string Version { get; }

    /// <summary>Why the last packet given to <see cref="Decode"/> or <see cref="Recover"/> was refused, for per-reason counters.</summary>
    public OpusPacketError LastPacketError { get; private set; }

    /// <summary>
    /// Decodes <paramref name="packet"/> into <paramref name="pcm"/>; <paramref name="samples"/> is its duration (960
    /// for a 20 ms packet; <see cref="MaxPacketSamples"/> of room takes any packet). DTX and comfort-noise packets
    /// (1–3 bytes) decode like any other. A packet that breaks RFC 6716 §3.4 or that the decoder refuses yields
    /// <see cref="OpusDecodeResult.Invalid"/> and a concealed 20 ms frame instead (10 ms if only that fits).
    /// </summary>
    public OpusDecodeResult Decode(ReadOnlySpan<byte> packet, Span<short> pcm, out int samples)
    {
        samples = 0;
        LastPacketError = OpusPacket.TryParse(packet, out var info);
        if (LastPacketError != OpusPacketError.None)
        {
            return ConcealInstead(pcm, out samples);
        }

        if (info.Samples > pcm.Length)
        {
            return OpusDecodeResult.BufferTooSmall;
        }

        if (info.FrameCount == 1 && info.FirstFrameLength <= 1 && info.Samples % TenMsSamples == 0)
        {
            // A frame of 0 or 1 byte is DTX or a lost frame (RFC 6716 §3.2.1): libopus conceals it (comfort noise
            // after a while); doing that here spares the managed port, which throws on such packets after speech.
            Conceal(pcm[..info.Samples]);
            samples = info.Samples;
            return OpusDecodeResult.Decoded;
        }

        var decoded = Run(packet, pcm, Math.Min(pcm.Length, MaxPacketSamples), fec: false);
        if (decoded <= 0)
        {
            return ConcealInstead(pcm, out samples);
        }

        samples = decoded;
        return OpusDecodeResult.Decoded;
    }

    /// <summary>
    /// Packet loss concealment: fills all of <paramref name="missingFrame"/> (a multiple of 10 ms, 960 for a 20 ms
    /// frame) by extrapolating the audio before it; after a few frames it fades towards comfort noise.
    /// </summary>
    public OpusDecodeResult Conceal(Span<short> missingFrame)
    {
        if (!IsWholeTenMs(missingFrame.Length))
        {
            return OpusDecodeResult.BufferTooSmall;
        }

        if (Run([], missingFrame, missingFrame.Length, fec: false) <= 0)
        {
            missingFrame.Clear();
        }

        return OpusDecodeResult.Concealed;
    }

    /// <summary>
    /// Rebuilds the missing frame before <paramref name="nextPacket"/> from the LBRR data that packet carries (in-band
    /// FEC, RFC 6716 §2.1.7), filling all of <paramref name="missingFrame"/> (a multiple of 10 ms). When the packet has
    /// no LBRR (CELT mode, FEC off at the sender, the first packet of a talkspurt) or is invalid, conceals instead and
    /// says so. Afterwards decode <paramref name="nextPacket"/> as usual at its own turn: this call does not consume it.
    /// </summary>
    /// <remarks>
    /// Jitter-buffer side: when frame n is due and missing but n + 1 is already buffered, call
    /// <c>Recover(packet n+1, frame)</c> instead of <c>Conceal(frame)</c>, then <c>Decode(packet n+1, …)</c> next tick.
    /// </remarks>
    public OpusDecodeResult Recover(ReadOnlySpan<byte> nextPacket, Span<short> missingFrame)
    {
        if (!IsWholeTenMs(missingFrame.Length))
        {
            return OpusDecodeResult.BufferTooSmall;
        }

        LastPacketError = OpusPacket.TryParse(nextPacket, out var info);
        if (LastPacketError != OpusPacketError.None || !info.HasLbrr || info.SamplesPerFrame > missingFrame.Length)
        {
            return Conceal(missingFrame);
        }

        return Run(nextPacket, missingFrame, missingFrame.Length, fec: true) > 0
            ? OpusDecodeResult.Recovered
            : Conceal(missingFrame);
    }

    /// <summary>Starts a new stream (e.g. after an SSRC change).</summary>
    public void Reset() => _decoder.ResetState();

    public void Dispose() => _decoder.Dispose();

    /// <summary>Static check: would <paramref name="packet"/> let <see cref="Recover"/> rebuild the frame before it?</summary>
    public static bool CarriesFec(ReadOnlySpan<byte> packet) =>
        OpusPacket.TryParse(packet, out var info) == OpusPacketError.None && info.HasLbrr;

    private OpusDecodeResult ConcealInstead(Span<short> pcm, out int samples)
    {
        samples = pcm.Length >= FrameSamples ? FrameSamples : pcm.Length >= TenMsSamples ? TenMsSamples : 0;
        if (samples == 0)
        {
            return OpusDecodeResult.BufferTooSmall;
        }

        Conceal(pcm[..samples]);
        return OpusDecodeResult.Invalid;
    }

    /// <summary>One decoder call; a negative libopus code or a managed-port exception both come back as -1.</summary>
    private int Run(ReadOnlySpan<byte> data, Span<short> pcm, int frameSize, bool fec)
    {
        try
        {
            return _decoder.Decode(data, pcm, frameSize, fec);
        }
        catch (OpusException)
        {
            return -1;
        }
    }

    private static bool IsWholeTenMs(int samples) =>
        samples > 0 && samples <= MaxPacketSamples && samples % TenMsSamples == 0;
}
