using Telephony.Pbx.Media.Mixer;

namespace Telephony.Pbx.Tests.Media.Mixer;

public sealed class AudioMixerTests
{
    private static void Fill(AudioMixer mixer, int slot, short value) => mixer.Input(slot).Fill(value);

    private static void AssertAll(AudioMixer mixer, int slot, short expected) =>
        Assert.All(mixer.Output(slot).ToArray(), s => Assert.Equal(expected, s));

    [Theory]
    [InlineData(160)]
    [InlineData(320)]
    [InlineData(7)] // odd size: the scalar tail after the vector loop
    public void Each_participant_hears_the_sum_of_the_others_but_not_itself(int samples)
    {
        var mixer = new AudioMixer(samples);
        var a = mixer.AddParticipant();
        var b = mixer.AddParticipant();
        var c = mixer.AddParticipant();
        Fill(mixer, a, 100);
        Fill(mixer, b, 2000);
        Fill(mixer, c, -30);
        mixer.Mix();
        AssertAll(mixer, a, 1970);
        AssertAll(mixer, b, 70);
        AssertAll(mixer, c, 2100);
        Assert.Equal(samples, mixer.Output(a).Length);
    }

    [Fact]
    public void Ten_participants_use_total_minus_own_and_match_direct_sums()
    {
        var mixer = new AudioMixer();
        var random = new Random(42);
        var inputs = new short[10][];
        for (var p = 0; p < 10; p++)
        {
            Assert.Equal(p, mixer.AddParticipant());
            inputs[p] = Enumerable.Range(0, 160).Select(_ => (short)random.Next(-5000, 5000)).ToArray();
            inputs[p].CopyTo(mixer.Input(p));
        }

        mixer.Mix();
        for (var p = 0; p < 10; p++)
        {
            for (var i = 0; i < 160; i++)
            {
                var expected = Enumerable.Range(0, 10).Where(q => q != p).Sum(q => inputs[q][i]);
                Assert.Equal((short)Math.Clamp(expected, short.MinValue, short.MaxValue), mixer.Output(p)[i]);
            }
        }
    }

    [Fact]
    public void Saturation_at_the_top_clamps_to_32767_instead_of_wrapping_negative()
    {
        var mixer = new AudioMixer();
        var a = mixer.AddParticipant();
        var b = mixer.AddParticipant();
        var c = mixer.AddParticipant();
        Fill(mixer, a, 30000);
        Fill(mixer, b, 30000);
        Fill(mixer, c, 0);
        mixer.Mix();
        AssertAll(mixer, c, short.MaxValue);
        AssertAll(mixer, a, 30000);
    }

    [Fact]
    public void Saturation_at_the_bottom_clamps_to_minus_32768_instead_of_wrapping_positive()
    {
        var mixer = new AudioMixer();
        for (var p = 0; p < 6; p++)
        {
            mixer.AddParticipant();
            Fill(mixer, p, short.MinValue);
        }

        mixer.Mix(); // 6 talkers: the total-minus-own path
        for (var p = 0; p < 6; p++)
        {
            AssertAll(mixer, p, short.MinValue);
        }
    }

    [Fact]
    public void Saturation_per_sample_keeps_opposite_signs_exact()
    {
        var mixer = new AudioMixer(4);
        var a = mixer.AddParticipant();
        var b = mixer.AddParticipant();
        var c = mixer.AddParticipant();
        new short[] { 32000, -32000, 20000, -1 }.CopyTo(mixer.Input(a));
        new short[] { 32000, -32000, -20000, 1 }.CopyTo(mixer.Input(b));
        mixer.Mix();
        Assert.Equal(new short[] { short.MaxValue, short.MinValue, 0, 0 }, mixer.Output(c).ToArray());
    }

    [Fact]
    public void Listen_only_participant_hears_everybody_and_is_heard_by_nobody()
    {
        var mixer = new AudioMixer();
        var a = mixer.AddParticipant();
        var b = mixer.AddParticipant();
        var listener = mixer.AddParticipant(talks: false);
        Fill(mixer, a, 10);
        Fill(mixer, b, 20);
        Fill(mixer, listener, 4000);
        mixer.Mix();
        AssertAll(mixer, listener, 30);
        AssertAll(mixer, a, 20);
        AssertAll(mixer, b, 10);
    }

    [Fact]
    public void Talk_only_participant_is_heard_and_hears_silence()
    {
        var mixer = new AudioMixer();
        var a = mixer.AddParticipant();
        var b = mixer.AddParticipant();
        var announcer = mixer.AddParticipant(talks: true, hears: 0);
        Fill(mixer, a, 10);
        Fill(mixer, b, 20);
        Fill(mixer, announcer, 300);
        mixer.Mix();
        AssertAll(mixer, announcer, 0);
        AssertAll(mixer, a, 320);
        AssertAll(mixer, b, 310);
    }

    [Fact]
    public void Subset_hears_only_the_chosen_slots_and_own_bit_is_ignored()
    {
        var mixer = new AudioMixer();
        for (var p = 0; p < 5; p++)
        {
            mixer.AddParticipant();
            Fill(mixer, p, (short)(1 << p)); // 1, 2, 4, 8, 16
        }

        mixer.SetHears(0, AudioMixer.Bit(0) | AudioMixer.Bit(2) | AudioMixer.Bit(4));
        mixer.SetHears(1, AudioMixer.Bit(3));
        mixer.SetHears(2, AudioMixer.Everyone & ~AudioMixer.Bit(1));
        mixer.SetTalks(4, false);
        mixer.Mix();
        AssertAll(mixer, 0, 4); // 2 + (4 muted)
        AssertAll(mixer, 1, 8);
        AssertAll(mixer, 2, 1 + 8);
        AssertAll(mixer, 3, 1 + 2 + 4);
        AssertAll(mixer, 4, 1 + 2 + 4 + 8);
        Assert.Equal(AudioMixer.Bit(2), mixer.EffectiveHears(0));
    }

    [Fact]
    public void Removed_participant_is_no_longer_heard_and_its_slot_is_reused_silent()
    {
        var mixer = new AudioMixer();
        var a = mixer.AddParticipant();
        var b = mixer.AddParticipant();
        var c = mixer.AddParticipant();
        Fill(mixer, b, 500);
        mixer.RemoveParticipant(b);
        mixer.Mix();
        AssertAll(mixer, a, 0);
        Assert.False(mixer.Contains(b));
        Assert.Equal(b, mixer.AddParticipant());
        mixer.Mix();
        AssertAll(mixer, c, 0);
        Assert.Equal(3, mixer.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => mixer.Input(7));
    }

    [Fact]
    public void Sixty_four_slots_then_full()
    {
        var mixer = new AudioMixer(8);
        for (var p = 0; p < AudioMixer.MaxParticipants; p++)
        {
            mixer.AddParticipant();
            Fill(mixer, p, 1);
        }

        mixer.Mix();
        AssertAll(mixer, 63, 63);
        Assert.Throws<InvalidOperationException>(() => mixer.AddParticipant());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    public void Mixing_allocates_nothing_per_frame(int participants)
    {
        var mixer = new AudioMixer();
        for (var p = 0; p < participants; p++)
        {
            mixer.AddParticipant();
            Fill(mixer, p, (short)(p * 100));
        }

        mixer.SetHears(0, AudioMixer.Bit(1)); // one subset listener too
        mixer.Mix();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var frame = 0; frame < 10_000; frame++)
        {
            mixer.Input(frame % participants)[0] = (short)frame;
            mixer.Mix();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
