using Telephony.Pbx.Media.Mixer;

namespace Telephony.Pbx.Calls;

// Hooks through which a SupervisorCall joins a bridged two-party call (listen, whisper, barge, take over).
public abstract partial class Call
{
    private readonly Lock _supervisionGate = new();
    private readonly List<SupervisionEvent> _supervisionLog = [];
    private SupervisorCall? _supervisor;
    private MixerListener? _recordingMix;

    /// <summary>The supervisor currently joined to this call, if any.</summary>
    public SupervisorCall? Supervisor => Volatile.Read(ref _supervisor);

    /// <summary>
    /// While a supervisor is joined: the mix that the recording's "our side" (right channel) should hold instead of
    /// what the caller hears, i.e. the agent plus the supervisor whenever caller or agent can hear the supervisor
    /// (whisper, barge, take over). Read it on the caller media's loop (<see cref="MixerListener.Read"/>); null
    /// otherwise. Set before the <c>started</c> supervision event, cleared before <c>ended</c>.
    /// </summary>
    public MixerListener? RecordingMix => Volatile.Read(ref _recordingMix);

    /// <summary>Who supervised this call, in which modes and when (oldest first).</summary>
    public IReadOnlyList<SupervisionEvent> SupervisionLog
    {
        get
        {
            lock (_supervisionGate)
            {
                return [.. _supervisionLog];
            }
        }
    }

    /// <summary>
    /// The caller and agent media when this call is answered and bridged to an agent, else null. Call types that
    /// connect two people override it.
    /// </summary>
    public virtual SupervisionTarget? GetSupervisionTarget() => null;

    /// <summary>
    /// Take over: BYE to the agent's leg while the caller stays (with the supervisor). Runs on this call's executor;
    /// the call then ends when the caller or the supervisor hangs up. <paramref name="supervisor"/> took over.
    /// </summary>
    internal virtual void ReleaseAgentForTakeOver(string supervisor)
    {
    }

    /// <summary>At most one supervisor per call: false when another one is already joined.</summary>
    internal bool TryAttachSupervisor(SupervisorCall supervisor) =>
        Interlocked.CompareExchange(ref _supervisor, supervisor, null) is null;

    internal void SetRecordingMix(MixerListener? mix) => Volatile.Write(ref _recordingMix, mix);

    internal void DetachSupervisor(SupervisorCall supervisor) =>
        Interlocked.CompareExchange(ref _supervisor, null, supervisor);

    /// <summary>Adds to <see cref="SupervisionLog"/> and tells the observer.</summary>
    internal void RecordSupervision(SupervisionEvent e)
    {
        lock (_supervisionGate)
        {
            _supervisionLog.Add(e);
        }
        Notify(o => o.OnSupervision(this, e));
    }
}
