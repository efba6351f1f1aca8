namespace Telephony.Pbx.Media;

/// <summary>No free even/odd RTP/RTCP port pair is left in the configured range.</summary>
public sealed class MediaPortsExhaustedException : Exception
{
    public MediaPortsExhaustedException(int portMin, int portMax)
        : base($"No free RTP/RTCP port pair in {portMin}-{portMax}")
    {
    }
}
