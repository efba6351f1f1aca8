namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>An offered <c>a=crypto</c> line we passed over, by tag and suite (never the key), and why (RFC 4568 §5.1.2).</summary>
/// <param name="Tag">The line's tag, or -1 when it has none we could read.</param>
/// <param name="Suite">The crypto-suite token as offered, or empty.</param>
/// <param name="Error">Why the line was refused.</param>
public readonly record struct SdesRejection(int Tag, string Suite, SdesError Error);
