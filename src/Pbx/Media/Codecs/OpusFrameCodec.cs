using Telephony.Pbx.Media.Resampling;

namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Opus as a session codec (RFC 6716, RTP payload format RFC 7587): the engine's 20 ms frames of 160 samples at 8 kHz
/// are upsampled to 48 kHz (<see cref="AudioResampler"/>, 8 → 48 kHz) and coded as one 960-sample Opus packet; a
/// received packet is decoded at 48 kHz and downsampled to 160 samples. RTP timestamps count 48 kHz samples
/// (RFC 7587 §4.1: 960 per packet). Loss: <see cref="Conceal"/> is the decoder's PLC, <see cref="Recover"/> rebuilds a
/// lost frame from the in-band FEC (LBRR) of the packet after it (RFC 6716 §2.1.7). DTX and comfort-noise packets
/// (1–2 bytes, RFC 6716 §3.2.1) decode through the decoder's concealment, so a sender's silence period fades without a
/// click. One instance per session, created when the session is configured (it allocates then) and owned by its media
/// loop; 0 B per frame when libopus is loaded (<see cref="OpusRuntime.IsNative"/>).
/// </summary>
public sealed class OpusFrameCodec : IAudioFrameCodec
{
    /// <summary>Samples of the engine's frame (8 kHz, 20 ms).</summary>
    public const int EngineFrameSamples = 160;

    private const int EngineRateHz = 8000;
    private const int TenMsSamples = 480;

    private readonly OpusFrameEncoder _encoder;
    private readonly OpusFrameDecoder _decoder;
    private readonly AudioResampler _up = new(EngineRateHz, OpusSdp.ClockRateHz);
    private readonly AudioResampler _down = new(OpusSdp.ClockRateHz, EngineRateHz);
    private readonly short[] _encodeFrame = new short[OpusFrameEncoder.FrameSamples];
    private readonly short[] _decodeFrame = new short[OpusFrameDecoder.MaxPacketSamples];

    /// <summary>A codec with the encoder <paramref name="settings"/> (<see cref="OpusEncoderSettings.Default"/> if null).</summary>
    public OpusFrameCodec(OpusEncoderSettings? settings = null)
        : this(settings, managedOnly: false)
    {
    }

    /// <summary>Tests force Concentus's managed port with <paramref name="managedOnly"/>.</summary>
    internal OpusFrameCodec(OpusEncoderSettings? settings, bool managedOnly)
    {
        _encoder = new OpusFrameEncoder(settings, managedOnly);
        _decoder = new OpusFrameDecoder(managedOnly);
    }

    public int ClockRateHz => OpusSdp.ClockRateHz;

    public int TimestampUnitsPerFrame => OpusSdp.TimestampUnitsPer20Ms;

    public int MaxPayloadBytes => OpusFrameEncoder.MaxPacketBytes;

    /// <summary>True when libopus does the work (0 B per frame).</summary>
    public bool IsNative => _encoder.IsNative && _decoder.IsNative;

    /// <summary>Packets the decoder refused (RFC 6716 §3.4); each was played as concealment.</summary>
    public long InvalidPackets { get; private set; }

    /// <summary>Packets longer than 20 ms: only their first 20 ms is played (the engine's frame).</summary>
    public long TruncatedPackets { get; private set; }

    /// <summary>Lost frames rebuilt from the next packet's FEC data.</summary>
    public long RecoveredFrames { get; private set; }

    /// <summary>Lost frames filled by the decoder's PLC.</summary>
    public long ConcealedFrames { get; private set; }

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        if (pcm.Length != EngineFrameSamples)
        {
            return 0;
        }

        _up.Process(pcm, _encodeFrame);
        return _encoder.TryEncode(_encodeFrame, payload, out var length) ? length : 0;
    }

    public bool Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        var result = _decoder.Decode(payload, _decodeFrame, out var samples);
        if (result == OpusDecodeResult.BufferTooSmall || samples <= 0)
        {
            return false;
        }

        if (result == OpusDecodeResult.Invalid)
        {
            InvalidPackets++; // the decoder concealed in its place: play that, do not conceal twice
        }

        Downsample(samples, pcm);
        return true;
    }

    public bool Conceal(Span<short> pcm)
    {
        ConcealedFrames++;
        _decoder.Conceal(_decodeFrame.AsSpan(0, OpusFrameDecoder.FrameSamples));
        Downsample(OpusFrameDecoder.FrameSamples, pcm);
        return true;
    }

    public bool Recover(ReadOnlySpan<byte> nextPayload, Span<short> pcm)
    {
        if (!OpusFrameDecoder.CarriesFec(nextPayload))
        {
            return false; // nothing to rebuild from: the session conceals (once)
        }

        var frame = _decodeFrame.AsSpan(0, OpusFrameDecoder.FrameSamples);
        if (_decoder.Recover(nextPayload, frame) == OpusDecodeResult.Recovered)
        {
            RecoveredFrames++;
        }
        else
        {
            ConcealedFrames++; // the decoder concealed instead; the frame is filled either way
        }

        Downsample(OpusFrameDecoder.FrameSamples, pcm);
        return true;
    }

    public void Dispose()
    {
        _encoder.Dispose();
        _decoder.Dispose();
    }

    /// <summary>
    /// 48 kHz → one 8 kHz frame. A 10 ms packet is completed with 10 ms of concealment; of a longer packet only the first
    /// 20 ms is played (the engine plays one 20 ms frame per tick; RFC 7587 senders use 20 ms by default).
    /// </summary>
    private void Downsample(int samples, Span<short> pcm)
    {
        const int frame = OpusFrameDecoder.FrameSamples;
        if (samples < frame)
        {
            var rest = _decodeFrame.AsSpan(samples, frame - samples);
            if (rest.Length % TenMsSamples == 0)
            {
                _decoder.Conceal(rest);
            }
            else
            {
                rest.Clear();
            }
        }
        else if (samples > frame)
        {
            TruncatedPackets++;
        }

        _down.Process(_decodeFrame.AsSpan(0, frame), pcm[..EngineFrameSamples]);
    }
}
