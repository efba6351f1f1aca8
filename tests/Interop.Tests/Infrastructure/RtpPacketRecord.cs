namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>One RTP packet (RFC 3550 §5.1 fixed header fields) as an <see cref="RtpSink"/> received it.</summary>
public sealed record RtpPacketRecord(
    DateTime ArrivalUtc,
    System.Net.IPEndPoint Source,
    int PayloadType,
    bool Marker,
    ushort Sequence,
    uint Timestamp,
    uint Ssrc,
    int PayloadLength);
