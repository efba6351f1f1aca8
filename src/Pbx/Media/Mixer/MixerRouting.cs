namespace Telephony.Pbx.Media.Mixer;

/// <summary>
/// One participant's place in an <see cref="AudioMixer"/>: whether its voice is mixed (<paramref name="Talks"/>) and
/// which slots it hears (<paramref name="Hears"/>, a bitmask; its own bit is ignored).
/// </summary>
public readonly record struct MixerRouting(bool Talks, ulong Hears);
