using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Per-leg SDP bookkeeping: our o= session id and version (bumped on every new description, RFC 3264 §8), the last SDP
/// we sent, and the leg's media security: its policy, the SDES keys (RFC 4568) of our last offer and the keys in use,
/// and the SRTP transform made from them (kept while a re-offer keeps the same keys).
/// </summary>
public sealed class MediaSdpState
{
    public ulong SessionId { get; } = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);
    public ulong Version { get; private set; } = 1;
    /// <summary>The last SDP we sent on this leg (offer or answer).</summary>
    public byte[]? LastLocal { get; set; }
    public ulong NextVersion() => ++Version;

    /// <summary>Whether this leg's media must, may or must not be SRTP (phones: rtp.srtp; trunks: trunks[].srtp).</summary>
    public MediaSecurity Security { get; set; } = MediaSecurity.Off;

    /// <summary>The a=crypto lines of our last offer (null when it had none).</summary>
    public IReadOnlyList<SdesCryptoAttribute>? OfferedCrypto { get; set; }

    /// <summary>Our key and the peer's key in use (null for plain RTP).</summary>
    public SdesCryptoAttribute? LocalCrypto { get; set; }
    public SdesCryptoAttribute? RemoteCrypto { get; set; }

    /// <summary>The transform installed for the keys in use (plain RTP when no keys).</summary>
    public IRtpTransform Transform { get; set; } = PlainRtpTransform.Instance;

    /// <summary>True when this leg's media is SRTP (SDES keys, or DTLS-SRTP on a WebRTC leg).</summary>
    public bool IsSecure => RemoteCrypto is not null || IsWebRtc;

    /// <summary>
    /// A WebRTC leg (ICE-lite + DTLS-SRTP, RFC 8834): set when the peer offered UDP/TLS/RTP/SAVPF (or …/SAVP), or by
    /// whoever creates a leg toward a browser before our offer, which is then a WebRTC offer.
    /// </summary>
    public bool IsWebRtc { get; set; }

    /// <summary>ICE credentials, fingerprints, DTLS role and transform of a WebRTC leg (null for SIP phones).</summary>
    public WebRtcMediaState? WebRtc { get; set; }
}
