namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// Per-SSRC state of a crypto context (RFC 3711 §3.2.1, §3.3.1, §3.4): the highest SRTP index (ROC = index &gt;&gt; 16,
/// s_l = index &amp; 0xFFFF), the replay windows and the SRTCP index (next to send, or highest received).
/// </summary>
internal struct SrtpStream
{
    public uint Ssrc;
    public bool InUse;
    public long LastUsed;

    public bool RtpStarted;
    public long RtpHighestIndex;
    public SrtpReplayWindow RtpWindow;

    public bool RtcpStarted;
    public long RtcpIndex;
    public SrtpReplayWindow RtcpWindow;

    /// <summary>
    /// An authenticated packet with index <paramref name="index"/>, <paramref name="ahead"/> past the highest seen
    /// (RFC 3711 §3.3.2): the first one starts the stream, a newer one moves the window, an older one is marked.
    /// </summary>
    public static void Accept(ref bool started, ref long highestIndex, ref SrtpReplayWindow window, long index, long ahead)
    {
        if (!started)
        {
            started = true;
            highestIndex = index;
            window.Reset();
        }
        else if (ahead > 0)
        {
            highestIndex = index;
            window.Advance(ahead);
        }
        else
        {
            window.Mark(-ahead);
        }
    }
}
