using Concentus;
using Concentus.Enums;

namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Opus encoder for one RTP stream (RFC 6716; payload format RFC 7587 §4.2: one Opus packet per RTP packet): mono,
/// 48 kHz, VOIP application, 20 ms frames of 960 samples by default, settings from <see cref="OpusEncoderSettings"/>.
/// Created once per session and owned by its media loop (not thread-safe). <see cref="TryEncode"/> allocates nothing
/// when <see cref="IsNative"/> (libopus through Concentus); the managed port allocates per call (README).
/// </summary>
public sealed class OpusFrameEncoder : IDisposable
{
    /// <summary>Samples per channel in one 20 ms frame at 48 kHz.</summary>
    public const int FrameSamples = 960;

    /// <summary>Largest Opus packet (RFC 6716 §3.2.1 frame limit, one frame); size send buffers to this.</summary>
    public const int MaxPacketBytes = 1275;

    private readonly IOpusEncoder _encoder;

    /// <summary>Creates an encoder with <paramref name="settings"/> (<see cref="OpusEncoderSettings.Default"/> if null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range (a configuration error).</exception>
    public OpusFrameEncoder(OpusEncoderSettings? settings = null)
        : this(settings, managedOnly: false)
    {
    }

    /// <summary>Tests and benchmarks force the managed port with <paramref name="managedOnly"/>.</summary>
    internal OpusFrameEncoder(OpusEncoderSettings? settings, bool managedOnly, int channels = 1)
    {
        Settings = settings ?? OpusEncoderSettings.Default;
        Settings.Validate();
        _encoder = OpusLibrary.CreateEncoder(channels, managedOnly);
        _encoder.Bitrate = Settings.BitrateBps;
        _encoder.Complexity = Settings.Complexity;
        _encoder.UseInbandFEC = Settings.InbandFec;
        _encoder.PacketLossPercent = Settings.ExpectedPacketLossPercent;
        _encoder.UseDTX = Settings.Dtx;
        _encoder.MaxBandwidth = Settings.MaxBandwidth switch
        {
            OpusAudioBandwidth.Narrowband => OpusBandwidth.OPUS_BANDWIDTH_NARROWBAND,
            OpusAudioBandwidth.Mediumband => OpusBandwidth.OPUS_BANDWIDTH_MEDIUMBAND,
            OpusAudioBandwidth.Wideband => OpusBandwidth.OPUS_BANDWIDTH_WIDEBAND,
            OpusAudioBandwidth.SuperWideband => OpusBandwidth.OPUS_BANDWIDTH_SUPERWIDEBAND,
            _ => OpusBandwidth.OPUS_BANDWIDTH_FULLBAND,
        };
        _encoder.UseVBR = true;
        _encoder.SignalType = OpusSignal.OPUS_SIGNAL_VOICE;
        Channels = channels;
        IsNative = OpusLibrary.IsNative(_encoder);
        Version = _encoder.GetVersionString();
        LookaheadSamples = _encoder.Lookahead;
    }

    public OpusEncoderSettings Settings { get; }

    /// <summary>True when libopus does the work (0 B per frame); false for Concentus's managed port.</summary>
    public bool IsNative { get; }

    /// <summary>The library's own version string, e.g. "libopus 1.3.1" (log it at startup).</summary>
    public string Version { get; }

    /// <summary>Samples at 48 kHz by which decoded audio lags the input (6.5 ms = 312 for VOIP).</summary>
    public int LookaheadSamples { get; }

    internal int Channels { get; }

    /// <summary>
    /// Encodes one frame of <paramref name="pcm"/> (48 kHz; 960 samples for 20 ms, or another Opus duration: 120, 240,
    /// 480, 1920, 2880) into <paramref name="packet"/> (<see cref="MaxPacketBytes"/> is always enough). False, with
    /// nothing written, for a bad duration or an encoder error. With DTX on, a result of 2 bytes or fewer is a
    /// silence frame that need not be sent (RFC 6716 §2.1.9, RFC 7587 §3.1.3: the receiver conceals the gap).
    /// </summary>
    public bool TryEncode(ReadOnlySpan<short> pcm, Span<byte> packet, out int length)
    {
        length = 0;
        var samples = pcm.Length / Channels;
        if (samples * Channels != pcm.Length || !IsFrameDuration(samples) || packet.IsEmpty)
        {
            return false;
        }

        int result;
        try
        {
            result = _encoder.Encode(pcm, samples, packet, Math.Min(packet.Length, MaxPacketBytes));
        }
        catch (OpusException)
        {
            return false; // the managed port throws where libopus returns a negative code
        }

        if (result <= 0)
        {
            return false;
        }

        length = result;
        return true;
    }

    /// <summary>Changes the target bitrate (6000–510000 b/s), e.g. after a REMB or a re-INVITE.</summary>
    public void SetBitrate(int bitrateBps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bitrateBps, 6000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bitrateBps, 510_000);
        _encoder.Bitrate = bitrateBps;
    }

    /// <summary>Tells the encoder the loss seen by the far end (RTCP RR fraction lost, in %), to size its FEC.</summary>
    public void SetExpectedPacketLoss(int percent) => _encoder.PacketLossPercent = Math.Clamp(percent, 0, 100);

    /// <summary>Starts a new stream (keeps the settings).</summary>
    public void Reset() => _encoder.ResetState();

    public void Dispose() => _encoder.Dispose();

    private static bool IsFrameDuration(int samples) => samples is 120 or 240 or 480 or 960 or 1920 or 2880;
}
