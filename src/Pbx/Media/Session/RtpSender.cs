using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Media.Session;

/// <summary>
/// Our outgoing RTP stream (RFC 3550 §5.1): a random SSRC, sequence number and timestamp origin, the marker on the
/// first packet, and the packet/octet counts that the sender report carries (§6.4.1). Loop thread only.
/// </summary>
internal sealed class RtpSender
{
    private ushort _sequence;
    private bool _firstPacket = true;

    // Counters (written by the loop, read by any thread through Volatile).
    public long PacketsSent;
    public long OctetsSent;

    public RtpSender()
    {
        Ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        _sequence = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        Timestamp = (uint)Random.Shared.NextInt64(uint.MaxValue + 1L);
    }

    public uint Ssrc { get; }

    /// <summary>RTP timestamp of the frame being sent this tick.</summary>
    public uint Timestamp { get; private set; }

    /// <summary>True until the first packet went out (it carries the marker).</summary>
    public bool IsFirstPacket => _firstPacket;

    /// <summary>Writes the header of the next packet at the start of <paramref name="packet"/>; returns its length.</summary>
    public int WriteHeader(Span<byte> packet, byte payloadType, uint timestamp, bool marker)
    {
        new RtpHeader(payloadType, _sequence, timestamp, Ssrc, marker).TryWrite(packet, out var headerLength);
        return headerLength;
    }

    /// <summary>The packet just written was sent: next sequence number, counts.</summary>
    public void OnSent(int payloadLength)
    {
        _firstPacket = false;
        _sequence++;
        PacketsSent++;
        OctetsSent += payloadLength;
    }

    /// <summary>One frame of media time passed (sent or not: hold keeps the clock running).</summary>
    public void AdvanceTimestamp(int units) => Timestamp += (uint)units;
}
