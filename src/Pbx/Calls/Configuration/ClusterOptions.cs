using System.Globalization;
using System.Net;

namespace Telephony.Pbx.Calls.Configuration;

/// <summary>
/// This node's place in a cluster behind a SIP proxy (section <c>cluster</c>; see <c>deploy/kamailio/README.md</c>). Off by
/// default: with no <see cref="Proxy"/> the node behaves exactly as a single server.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>Default SIP port of the proxy when <see cref="Proxy"/> names none (RFC 3261 §19.1.2).</summary>
    public const int DefaultProxyPort = 5060;

    /// <summary>This node's name in the cluster (logs, leases, <c>cluster status</c>); empty = the host name.</summary>
    public string NodeId { get; set; } = "";

    /// <summary>
    /// The proxy (Kamailio) as <c>address[:port]</c>. When set, a person (extension, agent, supervisor) with no contact
    /// registered on this node is called as <c>INVITE sip:&lt;number&gt;@&lt;proxy&gt;</c> through it (it is the registrar).
    /// </summary>
    public string Proxy { get; set; } = "";

    /// <summary>The effective node id: <see cref="NodeId"/>, else the machine name.</summary>
    public string EffectiveNodeId => string.IsNullOrWhiteSpace(NodeId) ? Environment.MachineName : NodeId.Trim();

    /// <summary>The proxy's endpoint, or null when no proxy is configured (or it does not parse: see <see cref="Validate"/>).</summary>
    public IPEndPoint? ProxyEndPoint => TryParseProxy(Proxy, out var endpoint) ? endpoint : null;

    /// <summary>Problems with the section, worded for the configuration file.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (!string.IsNullOrWhiteSpace(Proxy) && !TryParseProxy(Proxy, out _))
        {
            problems.Add($"cluster.proxy '{Proxy}' must be an IP address with an optional port, e.g. 127.0.0.10:5060");
        }
        if (NodeId.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            problems.Add($"cluster.nodeId '{NodeId}' must not contain spaces or control characters");
        }
        return problems;
    }

    /// <summary>Parses <c>address[:port]</c> (IPv6 as <c>[address]:port</c>); false for empty or malformed text.</summary>
    public static bool TryParseProxy(string? text, out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }
        text = text.Trim();
        if (IPEndPoint.TryParse(text, out var parsed) && parsed.Port > 0 && (text.Contains("]:", StringComparison.Ordinal)
            || parsed.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork))
        {
            endpoint = parsed;
            return true;
        }
        var bareText = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        if (!bareText.Contains(']', StringComparison.Ordinal) && IPAddress.TryParse(bareText, out var bare)
            && (bare.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 || !bareText.Contains(':', StringComparison.Ordinal)))
        {
            endpoint = new IPEndPoint(bare, DefaultProxyPort);
            return true;
        }
        return false;
    }

    /// <summary>The proxy as a URI host part (<c>127.0.0.10:5060</c>, <c>[::1]:5060</c>).</summary>
    public static string HostPort(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var host = endpoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endpoint.Address}]" : endpoint.Address.ToString();
        return host + ":" + endpoint.Port.ToString(CultureInfo.InvariantCulture);
    }
}
