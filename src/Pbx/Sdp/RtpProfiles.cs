namespace Telephony.Pbx.Sdp;

/// <summary>The RTP profile names of the m= line's proto field that we negotiate.</summary>
public static class RtpProfiles
{
    /// <summary>RFC 3551: plain RTP.</summary>
    public const string Avp = "RTP/AVP";

    /// <summary>RFC 3711 §12: SRTP (keyed with RFC 4568 a=crypto for SIP phones).</summary>
    public const string Savp = "RTP/SAVP";

    /// <summary>RFC 5764 §8 with RFC 5124 feedback: DTLS-SRTP over ICE, what browsers offer (RFC 8834 §5).</summary>
    public const string UdpTlsSavpf = "UDP/TLS/RTP/SAVPF";

    /// <summary>RFC 5764 §8: DTLS-SRTP without the feedback profile (non-browser WebRTC-style peers, e.g. baresip).</summary>
    public const string UdpTlsSavp = "UDP/TLS/RTP/SAVP";

    /// <summary>True when <paramref name="protocol"/> is one of <paramref name="accepted"/> (case-insensitive, RFC 4566 §5.14).</summary>
    public static bool IsOneOf(string protocol, IReadOnlyList<string> accepted)
    {
        ArgumentNullException.ThrowIfNull(accepted);
        foreach (var p in accepted)
        {
            if (string.Equals(p, protocol, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>True for a DTLS-SRTP profile (<see cref="UdpTlsSavpf"/>, <see cref="UdpTlsSavp"/>): a WebRTC-style leg.</summary>
    public static bool IsDtlsSrtp(string protocol) =>
        string.Equals(protocol, UdpTlsSavpf, StringComparison.OrdinalIgnoreCase)
        || string.Equals(protocol, UdpTlsSavp, StringComparison.OrdinalIgnoreCase);
}
