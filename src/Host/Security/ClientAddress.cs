using System.Net;

namespace Telephony.Host.Security;

/// <summary>The client's address as text for throttling and the audit trail (IPv4-mapped IPv6 shown as IPv4).</summary>
public static class ClientAddress
{
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        IPAddress? address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        return (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString();
    }
}
