namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>Settings of a <see cref="DtlsAssociation"/> (RFC 6347 timers, RFC 5764 profiles).</summary>
public sealed record DtlsAssociationOptions
{
    /// <summary>
    /// SRTP profiles in preference order. The default prefers SRTP_AES128_CM_HMAC_SHA1_80: every WebRTC endpoint
    /// must implement it (RFC 8827 §6.5), it is what Chrome picks by default, and it is the profile our SRTP code
    /// starts with; SRTP_AEAD_AES_128_GCM (RFC 7714) is accepted when a peer offers only that. As a client, an empty
    /// list sends no use_srtp at all (for tests).
    /// </summary>
    public IReadOnlyList<SrtpProfile> SrtpProfiles { get; init; } =
        [SrtpProfile.Aes128CmHmacSha1_80, SrtpProfile.AeadAes128Gcm];

    /// <summary>
    /// Whole-handshake limit, counted from <see cref="DtlsAssociation.Start"/> (the server waits for the ClientHello
    /// within it).
    /// </summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First retransmission timer of a flight (RFC 6347 §4.2.4.1: 1 s, doubling up to 60 s).</summary>
    public TimeSpan InitialRetransmitTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Largest datagram we send; handshake messages are fragmented to fit (RFC 6347 §4.1.1.1).</summary>
    public int MaxDatagramSize { get; init; } = 1200;

    /// <summary>Received datagrams waiting for the DTLS thread; more are dropped (the peer retransmits).</summary>
    public int ReceiveQueueCapacity { get; init; } = 32;
}
