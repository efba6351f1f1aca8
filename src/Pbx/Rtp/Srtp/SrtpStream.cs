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
}
