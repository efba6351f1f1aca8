using System.Collections.Concurrent;
using Telephony.Pbx.Media;

namespace Telephony.Pbx.Media.Playback;

/// <summary>Prompts from the sounds folder, loaded once and shared by every call (8 kHz mono PCM16 WAV).</summary>
public sealed class PromptLibrary(string soundsDirectory)
{
    private readonly ConcurrentDictionary<string, AudioClip> _clips = new(StringComparer.Ordinal);

    public string SoundsDirectory { get; } = soundsDirectory;

    /// <summary>Loads (or returns the cached) prompt; <paramref name="error"/> names the file and problem on failure.</summary>
    public AudioClip? TryGet(string relativePath, out string? error)
    {
        error = null;
        if (_clips.TryGetValue(relativePath, out var clip))
        {
            return clip;
        }
        var path = Path.GetFullPath(Path.Combine(SoundsDirectory, relativePath));
        try
        {
            clip = AudioClip.LoadWav(path);
            return _clips.GetOrAdd(relativePath, clip);
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or FormatException
            or Telephony.Pbx.Media.Playback.WavFormatException)
        {
            error = $"{path}: {ex.Message}";
            return null;
        }
    }
}
