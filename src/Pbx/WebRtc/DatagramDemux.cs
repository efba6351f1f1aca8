namespace Telephony.Pbx.WebRtc;

/// <summary>
/// Demultiplexes one datagram received on a WebRTC media socket (ICE, DTLS and SRTP share the port) by its first
/// byte, RFC 7983 §7:
/// <code>
///              +----------------+
///              |        [0..3] -+--> STUN
///              |      [16..19] -+--> ZRTP          (dropped)
///  packet -->  |      [20..63] -+--> DTLS
///              |      [64..79] -+--> TURN Channel  (dropped, RFC 9443)
///              |    [128..191] -+--> RTP/RTCP      (RTCP when the second byte is 192..223, RFC 5761 §4)
///              +----------------+    anything else: dropped
/// </code>
/// Pure function, no allocation.
/// </summary>
public static class DatagramDemux
{
    public static DatagramKind Classify(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return DatagramKind.Empty;
        }

        var first = datagram[0];
        switch (first)
        {
            case <= 3:
                return DatagramKind.Stun;
            case >= 20 and <= 63:
                return DatagramKind.Dtls;
            case >= 128 and <= 191:
                if (datagram.Length < 2)
                {
                    return DatagramKind.RtpTooShort;
                }

                // RFC 5761 §4: RTCP packet types 192-223 occupy the byte where RTP has marker + payload type; the
                // payload types that would collide (64-95 with the marker set) must not be used for RTP.
                return datagram[1] is >= 192 and <= 223 ? DatagramKind.Rtcp : DatagramKind.Rtp;
            case >= 16 and <= 19:
                return DatagramKind.Zrtp;
            case >= 64 and <= 79:
                return DatagramKind.TurnChannel;
            default:
                return DatagramKind.Unknown;
        }
    }
}
