namespace Telephony.Pbx.Media.Mixer;

/// <summary>
/// A listen-only, session-less participant of a <see cref="MixerConference"/> (RFC 7667 §3.6 mixer output that no
/// endpoint receives), made by <see cref="MixerConference.AddListener"/>: a call recording uses one to hold "our side"
/// of a supervised call (agent plus supervisor whenever the supervisor is audible to anyone).
/// </summary>
public sealed class MixerListener
{
    internal MixerListener(MixerConference conference, int slot)
    {
        Conference = conference;
        Slot = slot;
    }

    public MixerConference Conference { get; }

    /// <summary>The listener's slot (pass it to <see cref="MixerConference.Remove"/>).</summary>
    public int Slot { get; }

    /// <summary>
    /// What the listener hears this tick (160 samples), or an empty span before the conference applied the add or
    /// after it applied the remove. Call only on the conference's media loop (e.g. from an <see cref="IMediaTap"/> of
    /// one of its sessions). Allocation-free.
    /// </summary>
    public ReadOnlySpan<short> Read() => Conference.Read(Slot);
}
