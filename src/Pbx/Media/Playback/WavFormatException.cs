namespace Telephony.Pbx.Media.Playback;

/// <summary>A prompt file is not a RIFF/WAVE file in the required format (8 kHz, mono, 16-bit PCM).</summary>
public sealed class WavFormatException : Exception
{
    public WavFormatException(string path, string reason)
        : base($"{path}: {reason}")
    {
        Path = path;
        Reason = reason;
    }

    public string Path { get; }
    public string Reason { get; }
}
