using Telephony.Pbx.Media.Playback;

namespace Telephony.Pbx.Media;

/// <summary>
/// 8 kHz mono PCM16 audio held in memory and shared by all calls (prompts, music on hold). Immutable, so any number
/// of media loops may read it at once.
/// </summary>
public sealed class AudioClip
{
    public const int SampleRateHz = 8000;

    public AudioClip(string name, ReadOnlyMemory<short> samples)
    {
        Name = name;
        Samples = samples;
    }

    public string Name { get; }
    public ReadOnlyMemory<short> Samples { get; }
    public TimeSpan Duration => TimeSpan.FromSeconds(Samples.Length / (double)SampleRateHz);

    /// <summary>Loads a WAV file; throws <see cref="WavFormatException"/> naming the file when not 8 kHz mono PCM16.</summary>
    public static AudioClip LoadWav(string path) =>
        new(Path.GetFileNameWithoutExtension(path), WavReader.ReadPcm16Mono8k(path));
}
