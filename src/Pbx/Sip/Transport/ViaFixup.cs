using System.Net;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// Receive-side Via processing (RFC 3261 §18.2.1, RFC 3581 §4): adds received= when the sent-by host is not the
/// source address, and fills a bare ;rport with the source port (then received= is always added).
/// </summary>
internal static class ViaFixup
{
    public static void Apply(SipRequest request, IPEndPoint source)
    {
        var top = request.TopVia;
        if (top is null)
        {
            return;
        }

        var changed = false;
        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var text = address.ToString();
        var host = top.Host.Trim('[', ']');
        if (!IPAddress.TryParse(host, out var sentBy) || !sentBy.Equals(address))
        {
            top.Received = text;
            changed = true;
        }

        if (top.HasRPort && top.RPort is null)
        {
            top.RPort = source.Port;
            top.Received ??= text;
            changed = true;
        }

        if (changed)
        {
            ReplaceTop(request.Headers, top);
        }
    }

    /// <summary>Replaces the first Via value, keeping the others (also when several share one header field).</summary>
    public static void ReplaceTop(SipHeaders headers, Via top)
    {
        var all = headers.GetAll(HeaderName.Via);
        headers.Remove(HeaderName.Via);
        for (var i = all.Count - 1; i >= 1; i--)
        {
            headers.AddFirst(HeaderName.Via, all[i]);
        }

        headers.AddFirst(HeaderName.Via, top.ToString());
    }
}
