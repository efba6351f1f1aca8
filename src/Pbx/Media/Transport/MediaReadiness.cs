namespace Telephony.Pbx.Media.Transport;

/// <summary>One readable socket reported by an <see cref="IMediaPoller"/>: the token its channel was added with.</summary>
public readonly record struct MediaReadiness(int Token, MediaSocket Socket);
