using System.Numerics;
using Telephony.Pbx.Media.Loop;

namespace Telephony.Pbx.Media.Mixer;

/// <summary>
/// A live mix of <see cref="RtpSession"/>s on one media loop (RFC 7667 §3.6 media-mixing mixer): each participant's
/// session sends a <see cref="MixerSource"/>, i.e. the mix of what it may hear minus itself, built from the frames all
/// participants decoded this tick (each through its own jitter buffer). All sessions must live on the loop of the
/// anchor session (create them with <c>sameLoopAs</c>). Public methods may be called from any thread: slots are
/// handed out at once, and changes to the mix are posted as commands that the loop applies at the start of its next
/// tick, so a mode switch (several participants at once) takes effect on one tick boundary and the media path takes
/// no locks. The mixer's scratch buffers are allocated when participants are added, never per frame.
/// </summary>
public sealed class MixerConference
{
    private readonly object _slotGate = new();
    private readonly AudioMixer _mixer;
    private readonly RtpSession?[] _sessions = new RtpSession?[AudioMixer.MaxParticipants];
    private ulong _usedSlots; // control side, under _slotGate
    private long _mixedTick = -1;

    /// <summary>A conference on the media loop of <paramref name="anchor"/> (usually the first participant).</summary>
    public MixerConference(RtpSession anchor)
    {
        ArgumentNullException.ThrowIfNull(anchor);
        Loop = anchor.Loop;
        _mixer = new AudioMixer(MediaLoop.SamplesPerFrame);
    }

    internal MediaLoop Loop { get; }

    /// <summary>Slots in use, control-side view (adds and removes count at once, before the loop applies them).</summary>
    public int Count
    {
        get
        {
            lock (_slotGate)
            {
                return BitOperations.PopCount(_usedSlots);
            }
        }
    }

    /// <summary>
    /// Adds <paramref name="session"/> in a free slot and returns the slot; from the next tick the session sends its
    /// mix-minus. <paramref name="talks"/> false = listen-only; <paramref name="hears"/> 0 = talk-only, default = all.
    /// Throws when the session is on another loop or the conference is full.
    /// </summary>
    public int Add(RtpSession session, bool talks = true, ulong hears = AudioMixer.Everyone)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (!ReferenceEquals(session.Loop, Loop))
        {
            throw new ArgumentException(
                "The session is on another media loop; create it with sameLoopAs a conference member", nameof(session));
        }

        var slot = ReserveSlot();
        var source = new MixerSource(this, slot);
        Loop.Post(() =>
        {
            _sessions[slot] = session;
            _mixer.AddParticipant(slot, talks, hears);
            session.SetSourceFromLoop(source);
        });
        return slot;
    }

    /// <summary>
    /// Adds a listen-only participant without a session (e.g. a call recorder) that hears the slots in
    /// <paramref name="hears"/> that talk; read its mix on the loop with <see cref="MixerListener.Read"/>. Remove it
    /// with <see cref="Remove"/> (<see cref="MixerListener.Slot"/>). Throws when the conference is full.
    /// </summary>
    public MixerListener AddListener(ulong hears)
    {
        var slot = ReserveSlot();
        Loop.Post(() =>
        {
            _sessions[slot] = null;
            _mixer.AddParticipant(slot, talks: false, hears);
        });
        return new MixerListener(this, slot);
    }

    /// <summary>
    /// Removes a participant from the next tick on: nobody hears it and its session falls back to silence (unless
    /// it was switched to another source meanwhile). The slot becomes free for reuse.
    /// </summary>
    public void Remove(int slot)
    {
        CheckSlot(slot);
        lock (_slotGate)
        {
            // Safe to reuse at once: a later Add's command is queued after this one.
            _usedSlots &= ~AudioMixer.Bit(slot);
        }

        Loop.Post(() =>
        {
            var session = _sessions[slot];
            _sessions[slot] = null;
            if (_mixer.Contains(slot))
            {
                _mixer.RemoveParticipant(slot);
            }

            if (session?.CurrentSource is MixerSource own && ReferenceEquals(own.Conference, this) && own.Slot == slot)
            {
                session.SetSourceFromLoop(SilenceSource.Instance);
            }
        });
    }

    /// <summary>Sets whether <paramref name="slot"/> talks and whom it hears, from the next tick on.</summary>
    public void SetRouting(int slot, MixerRouting routing)
    {
        CheckSlot(slot);
        Loop.Post(() => ApplyRouting(slot, routing));
    }

    /// <summary>
    /// Applies the <see cref="SupervisorHearing"/> matrix of <paramref name="mode"/> to the three parties in one
    /// command, so the switch happens on a single tick boundary (no tick hears a half-applied mode).
    /// </summary>
    public void SetSupervisorMode(SupervisorMode mode, int callerSlot, int agentSlot, int supervisorSlot)
    {
        CheckSlot(callerSlot);
        CheckSlot(agentSlot);
        CheckSlot(supervisorSlot);
        if (callerSlot == agentSlot || callerSlot == supervisorSlot || agentSlot == supervisorSlot)
        {
            throw new ArgumentException("Caller, agent and supervisor need distinct slots");
        }

        var caller = SupervisorHearing.Routing(mode, SupervisedRole.Caller, callerSlot, agentSlot, supervisorSlot);
        var agent = SupervisorHearing.Routing(mode, SupervisedRole.Agent, callerSlot, agentSlot, supervisorSlot);
        var supervisor =
            SupervisorHearing.Routing(mode, SupervisedRole.Supervisor, callerSlot, agentSlot, supervisorSlot);
        Loop.Post(() =>
        {
            ApplyRouting(callerSlot, caller);
            ApplyRouting(agentSlot, agent);
            ApplyRouting(supervisorSlot, supervisor);
        });
    }

    /// <summary>Loop thread: the first call of a tick mixes this tick's inputs; every call copies one output.</summary>
    internal void Render(RtpSession session, int slot, Span<short> output)
    {
        if (!ReferenceEquals(session.Loop, Loop) || !_mixer.Contains(slot))
        {
            output.Clear();
            return;
        }

        EnsureMixed();
        _mixer.Output(slot).CopyTo(output);
    }

    /// <summary>
    /// Loop thread: what <paramref name="slot"/> hears this tick (mixing it first if no participant rendered yet), or
    /// an empty span when the slot is not (yet, or any more) in the mix.
    /// </summary>
    internal ReadOnlySpan<short> Read(int slot)
    {
        if (!_mixer.Contains(slot))
        {
            return [];
        }

        EnsureMixed();
        return _mixer.Output(slot);
    }

    private void EnsureMixed()
    {
        var tick = Loop.TickCount; // constant during a tick's render phase
        if (tick != _mixedTick)
        {
            _mixedTick = tick;
            MixThisTick();
        }
    }

    private int ReserveSlot()
    {
        lock (_slotGate)
        {
            if (_usedSlots == ulong.MaxValue)
            {
                throw new InvalidOperationException($"The conference is full ({AudioMixer.MaxParticipants})");
            }

            var slot = BitOperations.TrailingZeroCount(~_usedSlots);
            _usedSlots |= AudioMixer.Bit(slot);
            return slot;
        }
    }

    private void MixThisTick()
    {
        for (var present = _mixer.Participants; present != 0; present &= present - 1)
        {
            var slot = BitOperations.TrailingZeroCount(present);
            var session = _sessions[slot];
            var input = _mixer.Input(slot);
            if (session is null || session.IsClosed)
            {
                input.Clear();
            }
            else
            {
                session.InputFrame.CopyTo(input);
            }
        }

        _mixer.Mix();
    }

    private void ApplyRouting(int slot, MixerRouting routing)
    {
        if (!_mixer.Contains(slot))
        {
            return;
        }

        _mixer.SetTalks(slot, routing.Talks);
        _mixer.SetHears(slot, routing.Hears);
    }

    private static void CheckSlot(int slot) =>
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)AudioMixer.MaxParticipants,
            nameof(slot));
}
