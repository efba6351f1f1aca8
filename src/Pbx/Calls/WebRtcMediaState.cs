using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.WebRtc.Dtls;
using Telephony.Pbx.WebRtc.Ice;

namespace Telephony.Pbx.Calls;

/// <summary>
/// The WebRTC side of one leg's SDP state (RFC 8839 ICE, RFC 8842 DTLS roles): our ICE credentials, the peer's, its
/// certificate fingerprints, the m-line's mid, our DTLS role once an association exists, and the transform that runs
/// them. Kept across re-offers: the same peer credentials and fingerprint keep everything; new peer credentials are
/// an ICE restart (new local credentials, the DTLS association and SRTP carry on); a new fingerprint is a new DTLS
/// association. The role never changes once set.
/// </summary>
public sealed class WebRtcMediaState
{
    /// <summary>Our a=ice-ufrag / a=ice-pwd.</summary>
    public IceCredentials LocalIce { get; internal set; } = IceCredentials.Generate();

    public string? RemoteUfrag { get; internal set; }
    public string? RemotePassword { get; internal set; }

    /// <summary>The peer's a=fingerprint values, as parsed.</summary>
    public IReadOnlyList<CertificateFingerprint> RemoteFingerprints { get; internal set; } = [];

    /// <summary>The audio m-line's a=mid (the offer's; "0" in ours).</summary>
    public string? Mid { get; internal set; }

    /// <summary>Our DTLS role, fixed once the first association was made (null before).</summary>
    public DtlsRole? Role { get; internal set; }

    /// <summary>The transform of the current association.</summary>
    public WebRtcTransform? Transform { get; internal set; }
}
