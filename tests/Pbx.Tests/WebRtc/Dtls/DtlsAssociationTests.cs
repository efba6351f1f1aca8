using Org.BouncyCastle.Tls;
using Telephony.Pbx.WebRtc;
using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Tests.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 + DTLS-SRTP handshakes in memory (RFC 6347, RFC 5764, RFC 5763): keys crosswise, profile choice,
/// fingerprint checks on both sides, the CertificateRequest Chrome needs, loss, refusal and timeouts. Every wait is
/// bounded.
/// </summary>
public sealed class DtlsAssociationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Handshake_gives_both_sides_the_same_keys_crosswise_with_the_preferred_profile()
    {
        using var pair = new DtlsPair();
        pair.Start();
        var server = await pair.Server.Handshake.WaitAsync(Bound);
        var client = await pair.Client.Handshake.WaitAsync(Bound);

        Assert.Equal(SrtpProfile.Aes128CmHmacSha1_80, server.Profile);
        Assert.Equal(SrtpProfile.Aes128CmHmacSha1_80, client.Profile);
        Assert.Equal(DtlsRole.Server, server.Role);
        Assert.Equal(16, server.LocalKey.Length);
        Assert.Equal(14, server.LocalSalt.Length);
        Assert.Equal(server.LocalKey.ToArray(), client.RemoteKey.ToArray());
        Assert.Equal(server.LocalSalt.ToArray(), client.RemoteSalt.ToArray());
        Assert.Equal(server.RemoteKey.ToArray(), client.LocalKey.ToArray());
        Assert.Equal(server.RemoteSalt.ToArray(), client.LocalSalt.ToArray());
        Assert.NotEqual(server.LocalKey.ToArray(), server.RemoteKey.ToArray());
        Assert.Equal(DtlsPair.ClientCertificate.Der.ToArray(), server.PeerCertificate.ToArray());
        Assert.Equal(DtlsPair.ServerCertificate.Der.ToArray(), client.PeerCertificate.ToArray());
        Assert.Equal(DtlsAssociationState.Connected, pair.Server.State);
        Assert.Equal(DtlsAssociationState.Connected, pair.Client.State);

        // Everything on the wire is DTLS to the RFC 7983 demultiplexer.
        Assert.All(pair.ToClient.Sent.Concat(pair.ToServer.Sent),
            d => Assert.Equal(DatagramKind.Dtls, DatagramDemux.Classify(d)));
    }

    [Fact]
    public async Task Server_prefers_AES_CM_even_when_the_client_lists_GCM_first()
    {
        var clientOptions = new DtlsAssociationOptions
        {
            SrtpProfiles = [SrtpProfile.AeadAes256Gcm, SrtpProfile.AeadAes128Gcm, SrtpProfile.Aes128CmHmacSha1_80],
        };
        using var pair = new DtlsPair(clientOptions: clientOptions);
        pair.Start();
        Assert.Equal(SrtpProfile.Aes128CmHmacSha1_80, (await pair.Server.Handshake.WaitAsync(Bound)).Profile);
    }

    [Fact]
    public async Task AEAD_AES_128_GCM_is_accepted_when_it_is_all_the_client_offers_and_exports_56_bytes()
    {
        var clientOptions = new DtlsAssociationOptions { SrtpProfiles = [SrtpProfile.AeadAes128Gcm] };
        using var pair = new DtlsPair(clientOptions: clientOptions);
        pair.Start();
        var server = await pair.Server.Handshake.WaitAsync(Bound);
        var client = await pair.Client.Handshake.WaitAsync(Bound);
        Assert.Equal(SrtpProfile.AeadAes128Gcm, server.Profile);
        Assert.Equal(12, server.LocalSalt.Length);
        Assert.Equal(server.LocalKey.ToArray(), client.RemoteKey.ToArray());
        Assert.Equal(server.LocalSalt.ToArray(), client.RemoteSalt.ToArray());
    }

    [Fact]
    public async Task Server_certificate_request_lists_ecdsa_sign()
    {
        using var pair = new DtlsPair();
        pair.Start();
        await pair.Client.Handshake.WaitAsync(Bound);
        var request = pair.Client.ReceivedCertificateRequest;
        Assert.NotNull(request);
        Assert.Contains(ClientCertificateType.ecdsa_sign, request.CertificateTypes);
        Assert.Contains(request.SupportedSignatureAlgorithms,
            a => a.Signature == SignatureAlgorithm.ecdsa && a.Hash == HashAlgorithm.sha256);
    }

    [Fact]
    public async Task Client_certificate_not_matching_the_sdp_fingerprint_fails_on_both_sides()
    {
        using var pair = new DtlsPair(clientFingerprintAtServer: DtlsCertificate.Generate().Fingerprint);
        pair.Start();
        var atServer = await Fails(pair.Server);
        var atClient = await Fails(pair.Client);

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, atServer.Reason);
        Assert.Contains("a=fingerprint", atServer.Message, StringComparison.Ordinal);
        Assert.Contains(DtlsPair.ClientCertificate.SdpFingerprint, atServer.Message, StringComparison.Ordinal);
        Assert.Equal(DtlsFailureReason.PeerAlert, atClient.Reason);
        Assert.Equal(AlertDescription.bad_certificate, atClient.AlertDescription);
        Assert.Equal(DtlsAssociationState.Failed, pair.Server.State);
        Assert.Equal(DtlsFailureReason.FingerprintMismatch, await pair.Server.Closed.WaitAsync(Bound));
    }

    [Fact]
    public async Task Server_certificate_not_matching_the_sdp_fingerprint_fails_on_both_sides()
    {
        using var pair = new DtlsPair(serverFingerprintAtClient: DtlsCertificate.Generate().Fingerprint);
        pair.Start();
        var atClient = await Fails(pair.Client);
        var atServer = await Fails(pair.Server);

        Assert.Equal(DtlsFailureReason.FingerprintMismatch, atClient.Reason);
        Assert.Equal(DtlsFailureReason.PeerAlert, atServer.Reason);
        Assert.Equal(AlertDescription.bad_certificate, atServer.AlertDescription);
    }

    [Fact]
    public async Task Client_without_use_srtp_is_refused()
    {
        using var pair = new DtlsPair(clientOptions: new DtlsAssociationOptions { SrtpProfiles = [] });
        pair.Start();
        var atServer = await Fails(pair.Server);
        var atClient = await Fails(pair.Client);
        Assert.Equal(DtlsFailureReason.NoSrtpProfile, atServer.Reason);
        Assert.Contains("use_srtp", atServer.Message, StringComparison.Ordinal);
        Assert.Equal(DtlsFailureReason.PeerAlert, atClient.Reason);
        Assert.Equal(AlertDescription.handshake_failure, atClient.AlertDescription);
    }

    [Fact]
    public async Task Client_with_no_common_profile_is_refused()
    {
        var clientOptions = new DtlsAssociationOptions { SrtpProfiles = [SrtpProfile.AeadAes256Gcm] };
        using var pair = new DtlsPair(clientOptions: clientOptions);
        pair.Start();
        Assert.Equal(DtlsFailureReason.NoSrtpProfile, (await Fails(pair.Server)).Reason);
    }

    [Fact]
    public async Task Lost_first_flights_are_retransmitted_and_the_handshake_completes()
    {
        var fast = new DtlsAssociationOptions { InitialRetransmitTimeout = TimeSpan.FromMilliseconds(100) };
        using var pair = new DtlsPair(fast, fast);
        pair.ToServer.Deliver = (index, _) => index != 0; // the ClientHello
        pair.ToClient.Deliver = (index, _) => index != 0; // the first datagram of ServerHello…ServerHelloDone
        pair.Start();
        var server = await pair.Server.Handshake.WaitAsync(Bound);
        var client = await pair.Client.Handshake.WaitAsync(Bound);
        Assert.Equal(server.LocalKey.ToArray(), client.RemoteKey.ToArray());
        Assert.True(pair.ToServer.Sent.Count > 4, "the client must have sent its ClientHello again");
    }

    [Fact]
    public async Task Lost_final_server_flight_is_answered_again_after_the_handshake()
    {
        var fast = new DtlsAssociationOptions { InitialRetransmitTimeout = TimeSpan.FromMilliseconds(100) };
        using var pair = new DtlsPair(fast, fast);
        var serverFinishedDropped = 0;

        // Drop the server's ChangeCipherSpec/Finished the first time (content types 20 and 22 at epoch 1).
        pair.ToClient.Deliver = (_, d) => !(d[0] is 20 && Interlocked.Exchange(ref serverFinishedDropped, 1) == 0);
        pair.Start();
        await pair.Server.Handshake.WaitAsync(Bound);
        await pair.Client.Handshake.WaitAsync(Bound);
        Assert.Equal(1, serverFinishedDropped);
    }

    [Fact]
    public async Task Fragmented_handshake_messages_are_reassembled()
    {
        // Chrome's ClientHello arrives in two fragments; a 200-byte MTU fragments every flight.
        var small = new DtlsAssociationOptions { MaxDatagramSize = 200 };
        using var pair = new DtlsPair(small, small);
        pair.Start();
        var server = await pair.Server.Handshake.WaitAsync(Bound);
        Assert.Equal(server.LocalKey.ToArray(), (await pair.Client.Handshake.WaitAsync(Bound)).RemoteKey.ToArray());
        Assert.All(pair.ToServer.Sent.Concat(pair.ToClient.Sent), d => Assert.True(d.Length <= 200));
    }

    [Fact]
    public async Task Handshake_timeout_ends_with_an_error_not_a_hang()
    {
        var quick = new DtlsAssociationOptions
        {
            HandshakeTimeout = TimeSpan.FromMilliseconds(400),
            InitialRetransmitTimeout = TimeSpan.FromMilliseconds(100),
        };
        using var pair = new DtlsPair(quick, quick);
        pair.ToServer.Deliver = (_, _) => false; // the server is unreachable
        pair.Start();
        Assert.Equal(DtlsFailureReason.Timeout, (await Fails(pair.Client)).Reason);
        Assert.Equal(DtlsFailureReason.Timeout, (await Fails(pair.Server)).Reason); // never got a ClientHello
    }

    [Fact]
    public async Task Dispose_during_the_handshake_ends_the_thread_promptly()
    {
        using var pair = new DtlsPair(); // 30 s handshake timeout
        pair.Server.Start();
        pair.Server.Dispose();
        var error = await Fails(pair.Server, TimeSpan.FromSeconds(3));
        Assert.Equal(DtlsFailureReason.LocallyClosed, error.Reason);
        Assert.False(pair.Server.TryReceive([22, 254, 253]));
    }

    [Fact]
    public async Task Close_notify_after_the_handshake_closes_the_peer()
    {
        using var pair = new DtlsPair();
        pair.Start();
        await pair.Server.Handshake.WaitAsync(Bound);
        await pair.Client.Handshake.WaitAsync(Bound);

        pair.Client.Dispose();
        Assert.Equal(DtlsFailureReason.LocallyClosed, await pair.Client.Closed.WaitAsync(Bound));
        Assert.Equal(DtlsFailureReason.PeerClosed, await pair.Server.Closed.WaitAsync(Bound));
        Assert.Equal(DtlsAssociationState.Closed, pair.Server.State);
        Assert.True(pair.Server.Handshake.IsCompletedSuccessfully); // the keys stay valid
    }

    [Fact]
    public void Receive_queue_is_bounded_and_counts_drops()
    {
        var options = new DtlsAssociationOptions { ReceiveQueueCapacity = 2 };
        using var association = new DtlsAssociation(DtlsRole.Server, DtlsPair.ServerCertificate,
            [DtlsPair.ClientCertificate.Fingerprint], new DtlsPair.Link(null!, true), options);
        Assert.True(association.TryReceive([22, 1]));
        Assert.True(association.TryReceive([22, 2]));
        Assert.False(association.TryReceive([22, 3]));
        Assert.False(association.TryReceive(new byte[QueuedDatagramTransport.MaxReceiveSize + 1]));
        Assert.Equal(2, association.DroppedDatagrams);
    }

    private static async Task<DtlsHandshakeException> Fails(DtlsAssociation association, TimeSpan? bound = null)
    {
        var task = association.Handshake;
        await Assert.ThrowsAnyAsync<Exception>(() => task.WaitAsync(bound ?? Bound));
        return Assert.IsType<DtlsHandshakeException>(task.Exception?.InnerException);
    }
}
