using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;

namespace Telephony.Pbx.Tests.Media.Playback;

public sealed class RingbackToneTests
{
    [Fact]
    public void OneCadence_Is1sOf425Hz_Then4sOfSilence()
    {
        var clip = RingbackTone.Clip;
        Assert.Equal(TimeSpan.FromSeconds(5), clip.Duration);
        var samples = clip.Samples.Span;
        var on = samples[..AudioClip.SampleRateHz];
        Assert.True(on.ToArray().Max(s => Math.Abs((int)s)) is > 7900 and <= RingbackTone.Amplitude);
        Assert.True(samples[AudioClip.SampleRateHz..].ToArray().All(s => s == 0));
        // 425 Hz: 425 full cycles in the second on: count rising zero crossings.
        var rising = 0;
        for (var i = 1; i < on.Length; i++)
        {
            if (on[i - 1] < 0 && on[i] >= 0)
            {
                rising++;
            }
        }
        Assert.InRange(rising, 424, 425);
    }

    [Fact]
    public void Clip_IsShared() => Assert.Same(RingbackTone.Clip, RingbackTone.Clip);
}
