namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Makes the codec instance a session uses for a negotiated <see cref="AudioCodec"/>: the shared, stateless G.711 ones
/// (RFC 3551 §4.5.14) and a new stateful <see cref="OpusFrameCodec"/> per session for Opus (RFC 7587). The session
/// disposes what it gets when it changes codec or closes; creating an Opus codec allocates (encoder, decoder, the two
/// resamplers), so it happens when a session is configured, never per packet.
/// </summary>
public static class AudioFrameCodecs
{
    public static IAudioFrameCodec Create(AudioCodec codec, OpusEncoderSettings? opus = null) => codec switch
    {
        AudioCodec.Pcma => G711FrameCodec.ALaw,
        AudioCodec.Opus => new OpusFrameCodec(opus),
        _ => G711FrameCodec.MuLaw,
    };
}
