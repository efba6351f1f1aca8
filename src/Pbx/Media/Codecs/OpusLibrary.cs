using Concentus;
using Concentus.Enums;

namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Creates Concentus encoders and decoders. <see cref="OpusCodecFactory"/> returns Concentus's P/Invoke adapter over
/// the system's libopus when <c>libopus.so</c> can be loaded (Debian: <c>apt-get install libopus-dev</c>), else its
/// managed port of libopus 1.3. Both behave the same; the native one allocates nothing per frame and is about twice
/// as fast, the managed one allocates its scratch arrays on every call (see the README).
/// </summary>
internal static class OpusLibrary
{
    public const int SampleRateHz = 48000;

    public static IOpusEncoder CreateEncoder(int channels, bool managedOnly)
    {
        if (managedOnly)
        {
#pragma warning disable CS0618 // The constructor is marked obsolete only to steer callers to the factory; we want the managed port here.
            return new Concentus.Structs.OpusEncoder(SampleRateHz, channels, OpusApplication.OPUS_APPLICATION_VOIP);
#pragma warning restore CS0618
        }

        return OpusCodecFactory.CreateEncoder(SampleRateHz, channels, OpusApplication.OPUS_APPLICATION_VOIP);
    }

    public static IOpusDecoder CreateDecoder(int channels, bool managedOnly)
    {
        if (managedOnly)
        {
#pragma warning disable CS0618 // As above: the managed port on purpose.
            return new Concentus.Structs.OpusDecoder(SampleRateHz, channels);
#pragma warning restore CS0618
        }

        return OpusCodecFactory.CreateDecoder(SampleRateHz, channels);
    }

    /// <summary>Whether Concentus handed out its native adapter rather than the managed port.</summary>
    public static bool IsNative(object codec) =>
        codec is not Concentus.Structs.OpusEncoder and not Concentus.Structs.OpusDecoder;
}
