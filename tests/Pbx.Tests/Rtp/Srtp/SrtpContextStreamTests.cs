using Telephony.Pbx.Rtp.Srtp;
using static Telephony.Pbx.Tests.Rtp.Srtp.SrtpTestPackets;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SrtpContextStreamTests
{
    public static TheoryData<string, string> All => ProfilesAndBackends;

    [Theory]
    [MemberData(nameof(All))]
    public void SSRC_change_starts_a_new_stream_and_the_old_one_keeps_its_state(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var oldA = Protect(sender, RtpPacket(100, ssrc: 1), 172);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, oldA).Result);

        // The new SSRC starts at an unrelated sequence number; the old stream's state does not apply to it.
        foreach (ushort seq in new ushort[] { 40000, 40001 })
        {
            var (result, plain) = Unprotect(receiver, Protect(sender, RtpPacket(seq, ssrc: 2), 172));
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(RtpPacket(seq, ssrc: 2)[..172], plain);
        }

        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, Protect(sender, RtpPacket(101, ssrc: 1), 172)).Result);
        Assert.Equal(SrtpResult.Replayed, Unprotect(receiver, oldA).Result);
        Assert.Equal(2, receiver.StreamCount);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Inbound_table_full_replaces_the_least_recently_used_SSRC(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend, maxStreams: 2);
        var (sender2, _) = Pair(profile, backend, maxStreams: 2);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, Protect(sender, RtpPacket(1, ssrc: 1), 172)).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, Protect(sender, RtpPacket(1, ssrc: 2), 172)).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, Protect(sender, RtpPacket(2, ssrc: 1), 172)).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, Protect(sender2, RtpPacket(1, ssrc: 3), 172)).Result); // evicts 2
        Assert.Equal(2, receiver.StreamCount);
        Assert.True(receiver.TryGetRtpState(1, out _, out _));
        Assert.False(receiver.TryGetRtpState(2, out _, out _));
        Assert.True(receiver.TryGetRtpState(3, out _, out _));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Outbound_table_full_refuses_a_new_SSRC_rather_than_reuse_keystream(string profile, string backend)
    {
        var (sender, _) = Pair(profile, backend, maxStreams: 2);
        Assert.True(sender.TryProtectRtp(RtpPacket(1, ssrc: 1), 172, out _));
        Assert.True(sender.TryProtectRtp(RtpPacket(1, ssrc: 2), 172, out _));
        Assert.Equal(SrtpResult.SsrcLimitReached, sender.ProtectRtp(RtpPacket(1, ssrc: 3), 172, out _));
        Assert.True(sender.TryProtectRtp(RtpPacket(2, ssrc: 1), 172, out _));
    }

    [Fact]
    public void Contexts_refuse_the_other_direction_and_use_after_dispose()
    {
        var (sender, receiver) = Pair("AES_CM_128_HMAC_SHA1_80", "Bcl");
        Assert.Throws<InvalidOperationException>(() => receiver.ProtectRtp(RtpPacket(1), 172, out _));
        Assert.Throws<InvalidOperationException>(() => sender.UnprotectRtp(RtpPacket(1), 172, out _));
        Assert.Throws<InvalidOperationException>(() => receiver.ProtectRtcp(RtcpPacket(), 32, out _));
        Assert.Throws<InvalidOperationException>(() => sender.UnprotectRtcp(RtcpPacket(), 32, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => sender.ProtectRtp(new byte[10], 11, out _));
        sender.Dispose();
        Assert.Throws<ObjectDisposedException>(() => sender.ProtectRtp(RtpPacket(1), 172, out _));
    }

    [Fact]
    public void Contexts_refuse_master_keys_and_salts_of_the_wrong_length()
    {
        var p = SrtpProfile.AesCm128HmacSha1Tag80;
        Assert.Throws<ArgumentException>(() => SrtpContext.CreateOutbound(p, new byte[15], new byte[14]));
        Assert.Throws<ArgumentException>(() => SrtpContext.CreateOutbound(p, new byte[16], new byte[12]));
        Assert.Throws<ArgumentException>(() =>
            SrtpContext.CreateInbound(SrtpProfile.AeadAes128Gcm, new byte[16], new byte[14]));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DTLS_keying_material_gives_the_client_and_server_matching_contexts(bool gcm)
    {
        var profile = gcm ? SrtpProfile.AeadAes128Gcm : SrtpProfile.AesCm128HmacSha1Tag80;
        var material = new byte[profile.DtlsKeyingMaterialLength];
        new Random(5764).NextBytes(material);
        var (clientOut, clientIn) = SrtpContext.CreateFromDtlsKeyingMaterial(profile, material, isDtlsClient: true);
        var (serverOut, serverIn) = SrtpContext.CreateFromDtlsKeyingMaterial(profile, material, isDtlsClient: false);
        Assert.Equal(SrtpResult.Ok, Unprotect(serverIn, Protect(clientOut, RtpPacket(1), 172)).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(clientIn, Protect(serverOut, RtpPacket(1), 172)).Result);
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(clientIn, Protect(clientOut, RtpPacket(2), 172)).Result);
        Assert.Throws<ArgumentException>(() =>
            SrtpContext.CreateFromDtlsKeyingMaterial(profile, material.AsSpan(1), isDtlsClient: true));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Mutated_packets_never_throw_and_never_pass(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var rng = new Random(3711);
        for (var i = 0; i < 500; i++)
        {
            var srtp = Protect(sender, RtpPacket((ushort)i), 12 + rng.Next(0, 161));
            var mutated = (byte[])srtp.Clone();
            var flips = rng.Next(1, 4);
            for (var f = 0; f < flips; f++)
            {
                mutated[rng.Next(mutated.Length)] ^= (byte)rng.Next(1, 256);
            }

            var length = rng.Next(4) == 0 ? rng.Next(mutated.Length) : mutated.Length;
            if (length == srtp.Length && mutated.AsSpan().SequenceEqual(srtp))
            {
                continue;
            }

            var buffer = new byte[mutated.Length + Room];
            mutated.CopyTo(buffer, 0);
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtp(buffer, length, out _));
            Assert.NotEqual(SrtpResult.Ok, receiver.UnprotectRtcp(buffer, length, out _));
        }
    }
}
