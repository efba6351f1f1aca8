namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// Which way an <see cref="SrtpContext"/> works. RFC 3711 §3.2 keys a crypto context per direction; RFC 4568 and
/// RFC 5764 give each side its own master key, so a session holds one outbound and one inbound context.
/// </summary>
public enum SrtpDirection
{
    /// <summary>Protects the packets we send.</summary>
    Outbound,

    /// <summary>Unprotects the packets we receive.</summary>
    Inbound,
}
