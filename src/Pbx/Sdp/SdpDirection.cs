namespace Telephony.Pbx.Sdp;

/// <summary>Media direction attribute (RFC 8866 §6.7, RFC 3264 §5.1): which way media flows, from the describing side.</summary>
public enum SdpDirection
{
    /// <summary>a=sendrecv (the default when no direction attribute is present).</summary>
    SendRecv,

    /// <summary>a=sendonly: the describing side sends but does not want to receive.</summary>
    SendOnly,

    /// <summary>a=recvonly: the describing side receives but does not send.</summary>
    RecvOnly,

    /// <summary>a=inactive: no media either way (hold).</summary>
    Inactive,
}
