using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.Sip;

/// <summary>
/// Picks the IP address we write into Via, Contact and SDP for a given peer: the configured advertised address,
/// else the listen address when it is specific, else the local address the kernel routes to that peer
/// (a connected UDP socket sends nothing, it only asks the routing table).
/// </summary>
public sealed class LocalAddressResolver(IPAddress listenAddress, IPAddress? advertised)
{
    private readonly ConcurrentDictionary<IPAddress, IPAddress> _cache = new();

    public IPAddress For(IPAddress remote)
    {
        if (advertised is not null)
        {
            return advertised;
        }
        if (!listenAddress.Equals(IPAddress.Any) && !listenAddress.Equals(IPAddress.IPv6Any))
        {
            return listenAddress;
        }
        return _cache.GetOrAdd(remote, Route);
    }

    private static IPAddress Route(IPAddress remote)
    {
        try
        {
            using var probe = new Socket(remote.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            probe.Connect(new IPEndPoint(remote, 9));
            return ((IPEndPoint)probe.LocalEndPoint!).Address;
        }
        catch (SocketException)
        {
            return remote.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback;
        }
    }
}
