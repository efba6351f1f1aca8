using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>
/// Reads the address and port out of a <see cref="SocketAddress"/> (a native sockaddr_in / sockaddr_in6) without
/// allocating an <see cref="IPEndPoint"/>: port at bytes 2-3, IPv4 address at 4-7, IPv6 address at 8-23, as on
/// Linux and Windows. IPv4-mapped IPv6 addresses (dual-mode sockets) come out as IPv4.
/// </summary>
internal static class SocketAddressBytes
{
    public static bool TryRead(SocketAddress socketAddress, Span<byte> address, out int addressLength,
        out ushort port)
    {
        var buffer = socketAddress.Buffer.Span[..socketAddress.Size];
        addressLength = 0;
        port = 0;
        switch (socketAddress.Family)
        {
            case AddressFamily.InterNetwork when buffer.Length >= 8 && address.Length >= 4:
                port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                buffer.Slice(4, 4).CopyTo(address);
                addressLength = 4;
                return true;
            case AddressFamily.InterNetworkV6 when buffer.Length >= 24 && address.Length >= 16:
                port = BinaryPrimitives.ReadUInt16BigEndian(buffer[2..]);
                var ip = buffer.Slice(8, 16);
                if (IsIPv4Mapped(ip))
                {
                    ip[12..].CopyTo(address);
                    addressLength = 4;
                }
                else
                {
                    ip.CopyTo(address);
                    addressLength = 16;
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Equality over the first <see cref="SocketAddress.Size"/> bytes (<see cref="SocketAddress.Equals(object)"/>
    /// compares whole buffers, so a reused, larger buffer never equals a freshly received address).
    /// </summary>
    public static bool Equal(SocketAddress a, SocketAddress b) =>
        a.Size == b.Size && a.Buffer.Span[..a.Size].SequenceEqual(b.Buffer.Span[..b.Size]);

    /// <summary>Copies <paramref name="from"/> into <paramref name="to"/> (whose buffer must be large enough).</summary>
    public static void Copy(SocketAddress from, SocketAddress to)
    {
        from.Buffer.Span[..from.Size].CopyTo(to.Buffer.Span);
        to.Size = from.Size;
    }

    private static bool IsIPv4Mapped(ReadOnlySpan<byte> ip) =>
        ip[..10].IndexOfAnyExcept((byte)0) < 0 && ip[10] == 0xFF && ip[11] == 0xFF;
}
