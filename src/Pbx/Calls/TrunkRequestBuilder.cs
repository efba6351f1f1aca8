using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Builds what an INVITE out through a trunk needs from <see cref="TrunkOutboundOptions"/>: where it goes (RFC 3263
/// reduced to an address literal or an A/AAAA lookup: no NAPTR/SRV) and its Request-URI, From and To (RFC 3261 §8.1.1).
/// Pure functions apart from the lookup, so the addressing is unit-tested without sockets.
/// </summary>
public static class TrunkRequestBuilder
{
    /// <summary>
    /// Request-URI <c>sip:&lt;number&gt;@host</c> (port when not 5060, <c>;transport=tcp</c> for TCP); From = the
    /// configured caller id, else <paramref name="callerNumber"/> with <paramref name="callerIdentity"/>'s display name,
    /// at <see cref="TrunkOutboundOptions.FromDomain"/> or <paramref name="localHost"/>; To = the number at the trunk host.
    /// </summary>
    public static TrunkInviteAddresses Build(TrunkOutboundOptions trunk, string number, NameAddress? callerIdentity,
        string callerNumber, string localHost)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        var dialed = trunk.DialString(number);
        var host = IPAddress.TryParse(trunk.Host, out var ip) ? SipStack.FormatHost(ip) : trunk.Host;
        var requestUri = new SipUri("sip", dialed, host);
        if (trunk.Port != 5060)
        {
            requestUri.Port = trunk.Port;
        }
        if (trunk.IsTcp)
        {
            requestUri.Parameters["transport"] = "tcp";
        }
        var fixedId = trunk.CallerId.Length > 0;
        var fromUser = fixedId ? trunk.CallerId : string.IsNullOrEmpty(callerNumber) ? "anonymous" : callerNumber;
        var from = new NameAddress(new SipUri("sip", fromUser, trunk.FromDomain.Length > 0 ? trunk.FromDomain : localHost))
        {
            DisplayName = fixedId ? null : callerIdentity?.DisplayName,
        };
        var to = new NameAddress(new SipUri("sip", dialed, host));
        return new TrunkInviteAddresses(requestUri, from, to, dialed);
    }

    /// <summary>Where the INVITE goes: the host's address (looked up when it is a name) and port; null when not found.</summary>
    public static async Task<SipEndPoint?> ResolveAsync(TrunkOutboundOptions trunk, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trunk);
        var protocol = trunk.IsTcp ? SipProtocol.Tcp : SipProtocol.Udp;
        if (IPAddress.TryParse(trunk.Host, out var ip))
        {
            return new SipEndPoint(protocol, new IPEndPoint(ip, trunk.Port));
        }
        try
        {
            var addresses = await Dns.GetHostAddressesAsync(trunk.Host, cancellationToken).ConfigureAwait(false);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            return chosen is null ? null : new SipEndPoint(protocol, new IPEndPoint(chosen, trunk.Port));
        }
        catch (SocketException)
        {
            return null;
        }
    }

    /// <summary>A short description for logs: <c>udp:127.0.0.2:5060</c>.</summary>
    public static string Describe(TrunkOutboundOptions trunk) =>
        string.Create(CultureInfo.InvariantCulture, $"{(trunk.IsTcp ? "tcp" : "udp")}:{trunk.Host}:{trunk.Port}");
}
