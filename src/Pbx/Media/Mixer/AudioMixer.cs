using System.Diagnostics.CodeAnalysis;
using System.Numerics;

namespace Telephony.Pbx.Media.Mixer;

/// <summary>
/// N-party linear PCM16 mixer for one media clock tick (RFC 7667 §3.6 "Media-Mixing Mixer" topology): each participant
/// occupies a slot (0..63), has a <em>talks</em> flag and a <em>hears</em> bitmask over slots, and hears the sum of
/// the talking participants in its mask, never itself (mix-minus). Sums are taken in <see cref="int"/> and clamped to
/// the <see cref="short"/> range (saturation, no wrap-around). Frame size is a parameter (160 samples = 20 ms at
/// 8 kHz, 320 at 16 kHz). Per-slot buffers are allocated when a participant is added; <see cref="Mix"/> allocates
/// nothing. Not thread-safe: one media loop owns an instance.
/// </summary>
public sealed class AudioMixer
{
    /// <summary>Slots available: the width of the <c>hears</c> bitmask.</summary>
    public const int MaxParticipants = 64;

    /// <summary>A <c>hears</c> mask meaning "every talking participant but myself".</summary>
    public const ulong Everyone = ulong.MaxValue;

    private readonly short[]?[] _inputs = new short[MaxParticipants][];
    private readonly short[]?[] _outputs = new short[MaxParticipants][];
    private readonly int[]?[] _wide = new int[MaxParticipants][];
    private readonly ulong[] _hears = new ulong[MaxParticipants];
    private readonly int[] _total;
    private readonly int[] _sum;
    private ulong _present;
    private ulong _talkers;

    public AudioMixer(int samplesPerFrame = 160)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samplesPerFrame, 1);
        SamplesPerFrame = samplesPerFrame;
        _total = new int[samplesPerFrame];
        _sum = new int[samplesPerFrame];
    }

    /// <summary>Samples per frame and per participant buffer (160 at 8 kHz / 20 ms, 320 at 16 kHz).</summary>
    public int SamplesPerFrame { get; }

    /// <summary>Bitmask of occupied slots.</summary>
    public ulong Participants => _present;

    /// <summary>Bitmask of participants whose input is mixed (present and talking).</summary>
    public ulong Talkers => _talkers;

    public int Count => BitOperations.PopCount(_present);

    /// <summary>The bit of <paramref name="slot"/> in a <c>hears</c> mask.</summary>
    public static ulong Bit(int slot) => 1UL << slot;

    /// <summary>Adds a participant in the lowest free slot and returns the slot; allocates its buffers.</summary>
    public int AddParticipant(bool talks = true, ulong hears = Everyone)
    {
        var free = ~_present;
        if (free == 0)
        {
            ThrowFull();
        }

        var slot = BitOperations.TrailingZeroCount(free);
        AddParticipant(slot, talks, hears);
        return slot;
    }

    /// <summary>Adds (or re-initializes) the participant in <paramref name="slot"/>; its input starts silent.</summary>
    public void AddParticipant(int slot, bool talks, ulong hears)
    {
        CheckSlot(slot);
        _inputs[slot] ??= new short[SamplesPerFrame];
        _outputs[slot] ??= new short[SamplesPerFrame];
        _wide[slot] ??= new int[SamplesPerFrame];
        _inputs[slot]!.AsSpan().Clear();
        _outputs[slot]!.AsSpan().Clear();
        _present |= Bit(slot);
        SetTalks(slot, talks);
        SetHears(slot, hears);
    }

    /// <summary>Removes a participant: nobody hears it any more. Its buffers are kept for reuse of the slot.</summary>
    public void RemoveParticipant(int slot)
    {
        CheckSlot(slot);
        _present &= ~Bit(slot);
        _talkers &= ~Bit(slot);
        _hears[slot] = 0;
    }

    public bool Contains(int slot) => (uint)slot < MaxParticipants && (_present & Bit(slot)) != 0;

    /// <summary>Whether this participant's input is mixed into what others hear (false = listen-only).</summary>
    public void SetTalks(int slot, bool talks)
    {
        CheckPresent(slot);
        _talkers = talks ? _talkers | Bit(slot) : _talkers & ~Bit(slot);
    }

    public bool GetTalks(int slot) => (_talkers & Bit(CheckPresent(slot))) != 0;

    /// <summary>Which slots this participant hears (0 = talk-only); its own bit is always ignored (mix-minus).</summary>
    public void SetHears(int slot, ulong hears) => _hears[CheckPresent(slot)] = hears;

    public ulong GetHears(int slot) => _hears[CheckPresent(slot)];

    /// <summary>Slots whose audio <paramref name="slot"/> actually hears: its mask ∩ talkers, minus itself.</summary>
    public ulong EffectiveHears(int slot) => _hears[CheckPresent(slot)] & _talkers & ~Bit(slot);

    /// <summary>Where the caller writes this participant's PCM for the next <see cref="Mix"/>.</summary>
    public Span<short> Input(int slot) => _inputs[CheckPresent(slot)];

    /// <summary>What this participant hears, as computed by the last <see cref="Mix"/>.</summary>
    public ReadOnlySpan<short> Output(int slot) => _outputs[CheckPresent(slot)];

    /// <summary>Mixes one frame: every present participant's output from the current inputs. Allocation-free.</summary>
    public void Mix()
    {
        var talkers = _talkers;
        var totalReady = false;

        // Widen each talker once; a talker's own share is subtracted from the total for the common "hears all" case.
        for (var t = talkers; t != 0; t &= t - 1)
        {
            var slot = BitOperations.TrailingZeroCount(t);
            Widen(_inputs[slot], _wide[slot]!);
        }

        for (var present = _present; present != 0; present &= present - 1)
        {
            var slot = BitOperations.TrailingZeroCount(present);
            var output = _outputs[slot].AsSpan();
            var own = Bit(slot);
            var heard = _hears[slot] & talkers & ~own;
            var heardCount = BitOperations.PopCount(heard);
            if (heardCount == 0)
            {
                output.Clear();
            }
            else if (heardCount == 1)
            {
                _inputs[BitOperations.TrailingZeroCount(heard)].AsSpan().CopyTo(output);
            }
            else if (heard == (talkers & ~own) && BitOperations.PopCount(talkers) > 3)
            {
                // Mix-minus: total of all talkers minus own input (N adds once, then one subtraction per listener).
                if (!totalReady)
                {
                    SumInto(talkers, _total);
                    totalReady = true;
                }

                if ((talkers & own) != 0)
                {
                    Subtract(_total, _wide[slot]!, _sum);
                    Saturate(_sum, output);
                }
                else
                {
                    Saturate(_total, output);
                }
            }
            else
            {
                SumInto(heard, _sum);
                Saturate(_sum, output);
            }
        }
    }

    private void SumInto(ulong slots, Span<int> sum)
    {
        var first = BitOperations.TrailingZeroCount(slots);
        _wide[first].AsSpan().CopyTo(sum);
        for (var rest = slots & (slots - 1); rest != 0; rest &= rest - 1)
        {
            Add(sum, _wide[BitOperations.TrailingZeroCount(rest)]);
        }
    }

    private static void Widen(ReadOnlySpan<short> source, Span<int> destination)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= source.Length - Vector<short>.Count; i += Vector<short>.Count)
            {
                Vector.Widen(new Vector<short>(source[i..]), out var low, out var high);
                low.CopyTo(destination[i..]);
                high.CopyTo(destination[(i + Vector<int>.Count)..]);
            }
        }

        for (; i < source.Length; i++)
        {
            destination[i] = source[i];
        }
    }

    private static void Add(Span<int> sum, ReadOnlySpan<int> addend)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= sum.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                (new Vector<int>(sum[i..]) + new Vector<int>(addend[i..])).CopyTo(sum[i..]);
            }
        }

        for (; i < sum.Length; i++)
        {
            sum[i] += addend[i];
        }
    }

    private static void Subtract(ReadOnlySpan<int> total, ReadOnlySpan<int> own, Span<int> result)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= total.Length - Vector<int>.Count; i += Vector<int>.Count)
            {
                (new Vector<int>(total[i..]) - new Vector<int>(own[i..])).CopyTo(result[i..]);
            }
        }

        for (; i < total.Length; i++)
        {
            result[i] = total[i] - own[i];
        }
    }

    /// <summary>Clamps to [-32768, 32767] and narrows: loud overlaps clip instead of wrapping to the opposite sign.</summary>
    private static void Saturate(ReadOnlySpan<int> sum, Span<short> output)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var min = new Vector<int>(short.MinValue);
            var max = new Vector<int>(short.MaxValue);
            for (; i <= sum.Length - Vector<short>.Count; i += Vector<short>.Count)
            {
                var low = Vector.Min(Vector.Max(new Vector<int>(sum[i..]), min), max);
                var high = Vector.Min(Vector.Max(new Vector<int>(sum[(i + Vector<int>.Count)..]), min), max);
                Vector.Narrow(low, high).CopyTo(output[i..]);
            }
        }

        for (; i < sum.Length; i++)
        {
            output[i] = (short)Math.Clamp(sum[i], short.MinValue, short.MaxValue);
        }
    }

    private static void CheckSlot(int slot)
    {
        if ((uint)slot >= MaxParticipants)
        {
            ThrowSlot(slot);
        }
    }

    private int CheckPresent(int slot)
    {
        if (!Contains(slot))
        {
            ThrowSlot(slot);
        }

        return slot;
    }

    [DoesNotReturn]
    private static void ThrowSlot(int slot) =>
        throw new ArgumentOutOfRangeException(nameof(slot), slot, "No participant in this mixer slot");

    [DoesNotReturn]
    private static void ThrowFull() =>
        throw new InvalidOperationException($"The mixer is full ({MaxParticipants} participants)");
}
