namespace Telephony.Pbx.Media;

/// <summary>
/// Snapshot of one RTP session: local send/receive counters, RFC 3550 §A.3 loss and §A.8 jitter of the received
/// stream, jitter-buffer drops, and what the remote reported about our stream in its last RTCP report block.
/// </summary>
public sealed record RtpSessionStats(
    long PacketsSent,
    long OctetsSent,
    long PacketsReceived,
    long OctetsReceived,
    long PacketsLost,
    double JitterMs,
    long LatePackets,
    long DuplicatePackets,
    double RemoteFractionLost,
    long RemoteCumulativeLost,
    double RemoteJitterMs,
    long RtcpSent,
    long RtcpReceived);
