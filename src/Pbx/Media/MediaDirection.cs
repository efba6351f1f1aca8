namespace Telephony.Pbx.Media;

/// <summary>SDP media direction attribute of a stream, from this side's point of view (RFC 3264 §5.1, §6.1).</summary>
public enum MediaDirection
{
    SendRecv,
    SendOnly,
    RecvOnly,
    Inactive,
}
