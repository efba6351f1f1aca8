using System.Collections.Concurrent;

namespace Telephony.Pbx.Media.Playback;

/// <summary>
/// Process-wide cache of loaded prompts keyed by full path, so each WAV file is read and validated once and the
/// samples are shared by every call. Thread-safe.
/// </summary>
public sealed class AudioClipCache
{
    private readonly ConcurrentDictionary<string, Lazy<AudioClip>> _clips = new(StringComparer.Ordinal);

    public int Count => _clips.Count;

    /// <summary>Returns the clip for <paramref name="path"/>, loading it on first use.</summary>
    public AudioClip Get(string path)
    {
        var full = Path.GetFullPath(path);
        var lazy = _clips.GetOrAdd(full, p => new Lazy<AudioClip>(() => AudioClip.LoadWav(p)));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _clips.TryRemove(new KeyValuePair<string, Lazy<AudioClip>>(full, lazy)); // retry after the file is fixed
            throw;
        }
    }

    public void Clear() => _clips.Clear();
}
