namespace Telephony.Pbx.Calls.Configuration;

/// <summary>
/// A trunk to a carrier or another PBX. Inbound: calls from <see cref="AllowFrom"/> source addresses are accepted
/// without digest auth and may reach the <see cref="Dids"/>. Outbound (optional): the IVR's <c>transfer</c> node places
/// calls to external numbers through <see cref="Outbound"/> (RFC 3261 §8.1 UAC, digest per §22.2).
/// </summary>
public sealed class TrunkOptions
{
    public string Name { get; set; } = "";
    public List<string> AllowFrom { get; set; } = [];
    /// <summary>DID (dialed number) to internal target number.</summary>
    public Dictionary<string, string> Dids { get; set; } = new(StringComparer.Ordinal);

    /// <summary>SRTP on this trunk's calls, as <see cref="RtpOptions.Srtp"/> (default <c>off</c>: carriers send plain RTP).</summary>
    public string Srtp { get; set; } = "off";

    /// <summary>Where calls out through this trunk go; null when the trunk is inbound only.</summary>
    public TrunkOutboundOptions? Outbound { get; set; }
}
