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
        var view = request.TopVia;
        if (view is null)
        {
            return;
        }

        var address = source.Address.IsIPv4MappedToIPv6 ? source.Address.MapToIPv4() : source.Address;
        var host = view.Host.Trim('[', ']');
        var addReceived = !IPAddress.TryParse(host, out var sentBy) || !sentBy.Equals(address);
        var fillRPort = view.HasRPort && view.RPort is null;
        if (!addReceived && !fillRPort)
        {
            return;
        }

        // The message's view is read-only: change a copy, then write it back as the top Via.
        var top = view.Clone();
        var text = address.ToString();
        if (addReceived)
        {
            top.Received = text;
        }

        if (fillRPort)
        {
            top.RPort = source.Port;
            top.Received ??= text;
        }

        ReplaceTop(request.Headers, top);
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
