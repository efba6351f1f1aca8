namespace Telephony.Pbx.Configuration;

/// <summary>A trunk: calls from <see cref="AllowFrom"/> source addresses are accepted without digest auth.</summary>
public sealed class TrunkOptions
{
    public string Name { get; set; } = "";
    public List<string> AllowFrom { get; set; } = [];
    /// <summary>DID (dialed number) to internal target number.</summary>
    public Dictionary<string, string> Dids { get; set; } = new(StringComparer.Ordinal);
}
