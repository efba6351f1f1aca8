namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// Where RTP sessions get their datagram channels: UDP sockets over a port range (<see cref="UdpMediaTransport"/>,
/// the default) or an in-memory network (<see cref="InMemory.InMemoryMediaNetwork"/>) for tests that run whole calls
/// in process. Chosen with <see cref="MediaEngineOptions.Transport"/>. <see cref="Open"/> is thread-safe.
/// </summary>
public interface IMediaTransport
{
    /// <summary>
    /// Opens a channel (an even RTP port and RTCP on the next, RFC 3550 §11). Throws
    /// <see cref="MediaPortsExhaustedException"/> when no pair is free.
    /// </summary>
    IRtpChannel Open();

    /// <summary>A readiness poller for one media loop over this transport's channels.</summary>
    IMediaPoller CreatePoller();
}
