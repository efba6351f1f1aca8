using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Sdp;

/// <summary>The c= line (RFC 8866 §5.7): network type, address type and connection address (may carry /ttl/count).</summary>
public sealed record SdpConnection(string NetworkType, string AddressType, string Address)
{
    /// <summary>An "IN IP4 a.b.c.d" or "IN IP6 ..." connection for an IP address.</summary>
    public static SdpConnection For(IPAddress address) => new(
        "IN",
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "IP6" : "IP4",
        address.ToString());

    /// <summary>The address as an <see cref="IPAddress"/>; false for host names and multicast suffixes that do not parse.</summary>
    public bool TryGetIPAddress(out IPAddress? address)
    {
        ReadOnlySpan<char> text = Address;
        int slash = text.IndexOf('/');
        if (slash >= 0)
        {
            text = text[..slash];
        }

        return IPAddress.TryParse(text, out address);
    }

    /// <summary>True for the RFC 2543 hold address 0.0.0.0 (RFC 3264 §8.4).</summary>
    public bool IsHoldAddress => Address == "0.0.0.0";

    /// <summary>The text after "c=".</summary>
    internal void AppendTo(System.Text.StringBuilder sb) =>
        sb.Append(NetworkType).Append(' ').Append(AddressType).Append(' ').Append(Address);

    public override string ToString() => $"{NetworkType} {AddressType} {Address}";
}
