using System.Net;

namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// The default <see cref="IMediaTransport"/>: UDP sockets bound on <c>bindAddress</c>, an even RTP port and RTCP on
/// the next (RFC 3550 §11) from a range, skipping ports in use; readiness by epoll on Linux, else by scanning.
/// </summary>
public sealed class UdpMediaTransport : IMediaTransport
{
    private readonly PortAllocator _ports;

    public UdpMediaTransport(IPAddress bindAddress, int portMin, int portMax)
    {
        ArgumentNullException.ThrowIfNull(bindAddress);
        if (portMin < 1 || portMax > 65535 || portMax <= portMin)
        {
            throw new ArgumentException($"Invalid RTP port range {portMin}-{portMax}", nameof(portMin));
        }

        _ports = new PortAllocator(bindAddress, portMin, portMax);
    }

    public IRtpChannel Open()
    {
        var (rtp, rtcp, port) = _ports.Allocate();
        return new UdpRtpChannel(rtp, rtcp, port, _ports);
    }

    public IMediaPoller CreatePoller() => (IMediaPoller?)EpollMediaPoller.TryCreate() ?? new ScanningMediaPoller();
}
