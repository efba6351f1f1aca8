namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// SRTP packet index arithmetic (RFC 3711 §3.3.1 and Appendix A): i = 2^16 * ROC + SEQ, where the ROC of a received
/// SEQ is guessed from the highest index seen so far (v = ROC - 1, ROC or ROC + 1).
/// </summary>
internal static class SrtpPacketIndex
{
    /// <summary>The largest SRTP index, 2^48 - 1 (RFC 3711 §3.3.1).</summary>
    public const long MaxRtpIndex = (1L << 48) - 1;

    /// <summary>The largest SRTCP index, 2^31 - 1 (RFC 3711 §3.4).</summary>
    public const long MaxRtcpIndex = int.MaxValue;

    /// <summary>
    /// Appendix A: the index of <paramref name="seq"/> given the highest index so far. May be negative (a packet from
    /// before the first ROC) or past <see cref="MaxRtpIndex"/>; callers refuse both.
    /// </summary>
    public static long Estimate(long highestIndex, ushort seq)
    {
        var roc = highestIndex >> 16;
        var sl = (int)(highestIndex & 0xFFFF);
        long v;
        if (sl < 32768)
        {
            v = seq - sl > 32768 ? roc - 1 : roc;
        }
        else
        {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }

        return (v << 16) + seq;
    }
}
