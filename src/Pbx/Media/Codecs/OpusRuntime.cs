namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Which Opus implementation (RFC 6716) this process uses, found once: libopus through Concentus's native adapter when
/// <c>libopus.so</c> loads, else Concentus's managed port. Touch it at startup, off the media loops: the first
/// Concentus factory call probes the file system (it dlopens <c>libopus.so</c> and, failing that, looks for
/// <c>runtimes/&lt;rid&gt;/native</c> under the current directory and removes a stray <c>./libopus.so</c>), and log
/// <see cref="Version"/> so an operator sees when frames will allocate.
/// </summary>
public static class OpusRuntime
{
    private static readonly Lazy<(bool Native, string Version)> Probe = new(() =>
    {
        using var decoder = new OpusFrameDecoder();
        return (decoder.IsNative, decoder.Version);
    });

    /// <summary>True when encoders and decoders run on native libopus (0 B per frame).</summary>
    public static bool IsNative => Probe.Value.Native;

    /// <summary>The library's version string: "libopus 1.3.1" or "Concentus 2.1.2" (the managed port).</summary>
    public static string Version => Probe.Value.Version;
}
