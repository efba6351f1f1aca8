using Telephony.Pbx.Media;

namespace Telephony.Pbx.Calls;

/// <summary>What the party waiting for a trunk call hears (the caller of an <see cref="ApplicationCall"/>, the agent of a
/// <see cref="CallbackCall"/>): <see cref="TrunkDialer"/> plays ringback or hands over the carrier's early media.</summary>
internal interface IPartyAudio
{
    /// <summary>Someone else's audio (a trunk's early media, a person) replaces what the party hears.</summary>
    void HandOver(MediaSource source);

    /// <summary>What the party hears between prompts (silence, ringback).</summary>
    void SetBackground(MediaSource background);
}
