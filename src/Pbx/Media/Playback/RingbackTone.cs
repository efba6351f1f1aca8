namespace Telephony.Pbx.Media.Playback;

/// <summary>
/// The ringback tone a caller hears while an outbound leg rings without early media (ITU-T E.180 / ETSI ES 201 970
/// ringing tone: 425 Hz, 1 s on, 4 s off), as one 5 s <see cref="AudioClip"/> to loop. Built once, shared by all calls.
/// </summary>
public static class RingbackTone
{
    /// <summary>Tone frequency [Hz].</summary>
    public const int FrequencyHz = 425;

    /// <summary>Tone on [ms], then <see cref="OffMs"/> of silence.</summary>
    public const int OnMs = 1000;

    /// <summary>Silence after each tone burst [ms].</summary>
    public const int OffMs = 4000;

    /// <summary>Peak amplitude (about -12 dBFS).</summary>
    public const short Amplitude = 8000;

    private static readonly Lazy<AudioClip> Cached = new(Build);

    /// <summary>One cadence (tone, then silence): loop it with a <see cref="LoopSource"/>.</summary>
    public static AudioClip Clip => Cached.Value;

    private static AudioClip Build()
    {
        var on = AudioClip.SampleRateHz * OnMs / 1000;
        var samples = new short[AudioClip.SampleRateHz * (OnMs + OffMs) / 1000];
        for (var i = 0; i < on; i++)
        {
            samples[i] = (short)Math.Round(Amplitude * Math.Sin(2 * Math.PI * FrequencyHz * i / AudioClip.SampleRateHz));
        }
        return new AudioClip("ringback", samples);
    }
}
