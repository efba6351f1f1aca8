using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Security;

namespace Telephony.Pbx.Calls.Configuration;

/// <summary>Everything the PBX engine needs from configuration, bound from the YAML files and environment.</summary>
public sealed class PbxOptions
{
    public SipOptions Sip { get; set; } = new();
    public RtpOptions Rtp { get; set; } = new();
    public NumbersOptions Numbers { get; set; } = new();
    public List<ExtensionOptions> Extensions { get; set; } = [];
    public List<TrunkOptions> Trunks { get; set; } = [];
    /// <summary>This node's place in a cluster (section <c>cluster</c>); empty = a single server.</summary>
    public ClusterOptions Cluster { get; set; } = new();
    /// <summary>Absolute folder holding the prompts (<c>sounds/</c>).</summary>
    public string SoundsDirectory { get; set; } = "sounds";

    /// <summary>Checks values that would otherwise fail late; returns human-readable problems.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (Sip.UdpPort is < 0 or > 65535) { problems.Add($"sip.udpPort {Sip.UdpPort} is not a port number"); }
        if (Sip.MaxCalls < 0) { problems.Add($"sip.maxCalls {Sip.MaxCalls} must be 0 (no limit) or more"); }
        if (Sip.TcpPort is < 0 or > 65535) { problems.Add($"sip.tcpPort {Sip.TcpPort} is not a port number"); }
        if (Sip.TlsPort is < 0 or > 65535) { problems.Add($"sip.tlsPort {Sip.TlsPort} is not a port number"); }
        if (!System.Net.IPAddress.TryParse(Sip.Address, out _)) { problems.Add($"sip.address '{Sip.Address}' is not an IP address"); }
        if (!string.IsNullOrEmpty(Sip.AdvertisedAddress) && !System.Net.IPAddress.TryParse(Sip.AdvertisedAddress, out _))
        {
            problems.Add($"sip.advertisedAddress '{Sip.AdvertisedAddress}' is not an IP address");
        }
        if (!System.Net.IPAddress.TryParse(Rtp.Address, out _)) { problems.Add($"rtp.address '{Rtp.Address}' is not an IP address"); }
        if (Rtp.PortMin < 1024 || Rtp.PortMax > 65535 || Rtp.PortMax - Rtp.PortMin < 3)
        {
            problems.Add($"rtp.portMin/portMax {Rtp.PortMin}-{Rtp.PortMax} must be a range of at least 4 ports within 1024-65535");
        }
        problems.AddRange(SipSecuritySettings.Validate(Sip));
        problems.AddRange(Cluster.Validate());
        if (!string.IsNullOrEmpty(Rtp.PublicAddress) && !System.Net.IPAddress.TryParse(Rtp.PublicAddress, out _))
        {
            problems.Add($"rtp.publicAddress '{Rtp.PublicAddress}' is not an IP address");
        }
        if (Rtp.OpusComplexity is < 0 or > 10)
        {
            problems.Add($"rtp.opusComplexity {Rtp.OpusComplexity} must be 0 to 10");
        }
        if (Rtp.WebRtcReattachGraceSeconds is < 0 or > 3600)
        {
            problems.Add($"rtp.webRtcReattachGraceSeconds {Rtp.WebRtcReattachGraceSeconds} must be 0 to 3600");
        }
        if (!MediaSecurities.TryParse(Rtp.Srtp, out _))
        {
            problems.Add($"rtp.srtp '{Rtp.Srtp}' must be off, optional or required");
        }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Extensions.Count; i++)
        {
            var e = Extensions[i];
            if (string.IsNullOrWhiteSpace(e.Number)) { problems.Add($"extensions[{i}].number is empty"); }
            else if (!seen.Add(e.Number)) { problems.Add($"extensions[{i}].number '{e.Number}' is defined twice"); }
            if (string.IsNullOrEmpty(e.Password) && string.IsNullOrWhiteSpace(e.Ha1) && string.IsNullOrWhiteSpace(e.Ha1Sha256))
            {
                problems.Add($"extensions[{i}] ({e.Number}) has no password (or ha1)");
            }
            foreach (var (key, value, length) in new[] { ("ha1", e.Ha1, 32), ("ha1Sha256", e.Ha1Sha256, 64) })
            {
                if (!string.IsNullOrWhiteSpace(value) && (value.Trim().Length != length || !value.Trim().All(Uri.IsHexDigit)))
                {
                    problems.Add($"extensions[{i}].{key} ({e.Number}) must be {length} hex digits");
                }
            }
        }
        var trunkNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < Trunks.Count; i++)
        {
            foreach (var a in Trunks[i].AllowFrom)
            {
                if (!System.Net.IPAddress.TryParse(a, out _)) { problems.Add($"trunks[{i}].allowFrom '{a}' is not an IP address"); }
            }
            ValidateTrunkName(problems, trunkNames, i);
            if (!MediaSecurities.TryParse(Trunks[i].Srtp, out _))
            {
                problems.Add($"trunks[{i}].srtp '{Trunks[i].Srtp}' must be off, optional or required");
            }
            if (Trunks[i].Outbound is { } outbound)
            {
                problems.AddRange(outbound.Validate($"trunks[{i}].outbound"));
            }
        }
        return problems;
    }

    /// <summary>The trunk named <paramref name="name"/> (IVR <c>transfer</c> nodes refer to trunks by name), or null.</summary>
    public TrunkOptions? FindTrunk(string? name) =>
        name is null ? null : Trunks.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    private void ValidateTrunkName(List<string> problems, HashSet<string> names, int i)
    {
        var name = Trunks[i].Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            if (Trunks[i].Outbound is not null)
            {
                problems.Add($"trunks[{i}].name is empty: an outbound trunk is named by IVR transfer nodes ('trunk: <name>')");
            }
        }
        else if (!names.Add(name))
        {
            problems.Add($"trunks[{i}].name '{name}' is defined twice");
        }
    }
}
