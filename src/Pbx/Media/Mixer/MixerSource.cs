namespace Telephony.Pbx.Media.Mixer;

/// <summary>
/// Sends what participant <see cref="Slot"/> of <see cref="Conference"/> hears this tick (its mix-minus). The first
/// render of a tick mixes the inputs that every participant's session decoded in the same tick (the media loop decodes
/// all sessions before it renders any). <see cref="MixerConference.Add"/> installs one; create another to return to
/// the mix after a prompt (<c>new PromptSource(clip, then: new MixerSource(conference, slot))</c>).
/// </summary>
public sealed class MixerSource : MediaSource
{
    public MixerSource(MixerConference conference, int slot)
    {
        ArgumentNullException.ThrowIfNull(conference);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)slot, (uint)AudioMixer.MaxParticipants,
            nameof(slot));
        Conference = conference;
        Slot = slot;
    }

    public MixerConference Conference { get; }
    public int Slot { get; }

    internal override void Render(RtpSession session, Span<short> output) => Conference.Render(session, Slot, output);
}
