namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Makes the codec instance a session uses for a negotiated <see cref="AudioCodec"/>: the shared G.711 ones today. A
/// new payload format (Opus, RFC 7587) is one more <see cref="AudioCodec"/> value and one more case here, returning a
/// new stateful instance per session (the session disposes it when it changes codec or closes).
/// </summary>
public static class AudioFrameCodecs
{
    public static IAudioFrameCodec Create(AudioCodec codec) => codec switch
    {
        AudioCodec.Pcma => G711FrameCodec.ALaw,
        _ => G711FrameCodec.MuLaw,
    };
}
