using System.Net;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Tests.Media;

/// <summary>A scripted remote RTP peer (RTP address + RTCP on port + 1) over some media transport.</summary>
internal interface IRtpFarEnd : IDisposable
{
    uint Ssrc { get; }
    IPEndPoint EndPoint { get; }

    /// <summary>An address on the session side (where sessions live), for the allocation-free send.</summary>
    SocketAddress SessionAddress(int port);

    void SendRtp(int sessionPort, byte payloadType, ReadOnlySpan<byte> payload, bool marker = false, uint? timestamp = null,
        bool advance = true);

    void SendPcmu(int sessionPort, ReadOnlySpan<short> pcm);

    void SendRtcp(int sessionRtcpPort, byte[] data);

    /// <summary>Sends raw bytes from the RTP address (malformed packets).</summary>
    void SendRaw(int sessionPort, byte[] datagram);

    /// <summary>Sends raw bytes without allocating.</summary>
    void SendRaw(ReadOnlySpan<byte> datagram, SocketAddress to);

    List<(RtpHeader Header, byte[] Payload)> DrainRtp();

    List<byte[]> DrainRtcp();

    /// <summary>Reads and drops whatever arrived (RTP, and RTCP in memory), without allocating.</summary>
    void Discard();
}
