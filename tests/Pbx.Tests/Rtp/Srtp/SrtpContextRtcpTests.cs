using System.Buffers.Binary;
using System.Security.Cryptography;
using Telephony.Pbx.Rtp.Srtp;
using static Telephony.Pbx.Tests.Rtp.Srtp.SrtpTestPackets;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SrtpContextRtcpTests
{
    public static TheoryData<string, string> All => ProfilesAndBackends;

    [Theory]
    [MemberData(nameof(All))]
    public void SRTCP_round_trips_with_E_flag_set_and_index_counting_from_0(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        for (var i = 0; i < 3; i++)
        {
            var srtcp = ProtectRtcp(sender, RtcpPacket());
            var p = sender.Profile;
            Assert.Equal(32 + p.RtcpOverhead, srtcp.Length);
            Assert.Equal(RtcpPacket()[..8], srtcp[..8]);
            Assert.NotEqual(RtcpPacket()[8..32], srtcp[8..32]);
            var wordOffset = p.IsAead ? srtcp.Length - 4 : 32;
            Assert.Equal(0x8000_0000u | (uint)i, BinaryPrimitives.ReadUInt32BigEndian(srtcp.AsSpan(wordOffset)));
            var (result, plain) = UnprotectRtcp(receiver, srtcp);
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(RtcpPacket()[..32], plain);
        }
    }

    [Fact]
    public void AES_CM_32_profile_keeps_the_80_bit_SRTCP_tag_of_RFC_5764()
    {
        var (sender, _) = Pair("AES_CM_128_HMAC_SHA1_32", "Bcl");
        Assert.Equal(4, sender.Profile.RtpAuthTagLength);
        Assert.Equal(10, sender.Profile.RtcpAuthTagLength);
        Assert.Equal(32 + 4 + 10, ProtectRtcp(sender, RtcpPacket()).Length);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void SRTCP_replay_is_refused_and_an_index_128_behind_is_too_old(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var packets = Enumerable.Range(0, 200).Select(_ => ProtectRtcp(sender, RtcpPacket())).ToArray();
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[199]).Result);
        Assert.Equal(SrtpResult.Replayed, UnprotectRtcp(receiver, packets[199]).Result);
        Assert.Equal(SrtpResult.TooOld, UnprotectRtcp(receiver, packets[199 - 128]).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[199 - 127]).Result);
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, packets[150]).Result);
        Assert.Equal(SrtpResult.Replayed, UnprotectRtcp(receiver, packets[150]).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void SRTCP_tampered_body_index_or_tag_fails_authentication(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var srtcp = ProtectRtcp(sender, RtcpPacket());
        foreach (var offset in new[] { 1, 5, 8, 31, 32, 35, srtcp.Length - 1 })
        {
            var bad = (byte[])srtcp.Clone();
            bad[offset] ^= 0x01;
            Assert.Equal(SrtpResult.AuthenticationFailed, UnprotectRtcp(receiver, bad).Result);
        }

        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, srtcp).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void SRTCP_too_short_bad_version_and_no_room_are_refused(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var overhead = receiver.Profile.RtcpOverhead;
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtcp(new byte[64], 8 + overhead - 1, out _));
        var srtcp = ProtectRtcp(sender, RtcpPacket());
        srtcp[0] = 0x41;
        Assert.Equal(SrtpResult.BadHeader, receiver.UnprotectRtcp(srtcp, srtcp.Length, out _));
        Assert.Equal(SrtpResult.TooShort, sender.ProtectRtcp(RtcpPacket(), 7, out _));
        Assert.Equal(SrtpResult.BufferTooSmall, sender.ProtectRtcp(RtcpPacket()[..(32 + overhead - 1)], 32, out _));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void SRTCP_index_2_pow_31_minus_1_is_the_last_then_the_key_is_exhausted(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        sender.SetNextRtcpIndex(0xCAFEBABE, int.MaxValue);
        var last = ProtectRtcp(sender, RtcpPacket());
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, last).Result);
        Assert.Equal(SrtpResult.IndexExhausted, sender.ProtectRtcp(RtcpPacket(), 32, out _));
    }

    [Theory]
    [InlineData("AES_CM_128_HMAC_SHA1_80")]
    [InlineData("AES_CM_128_HMAC_SHA1_32")]
    public void AES_CM_SRTCP_with_E_0_is_authenticated_and_left_unencrypted(string profile)
    {
        // RFC 3711 §3.4: E = 0 means the sender did not encrypt; build such a packet by hand with the SRTCP auth key.
        var (_, receiver) = Pair(profile, "Bcl");
        var authKey = new byte[20];
        SrtpKeyDerivation.DeriveSessionKey(MasterKey, MasterSalt14, SrtpKeyLabel.RtcpAuthentication, authKey);
        var packet = RtcpPacket()[..32].Concat(new byte[] { 0x00, 0x00, 0x00, 0x09 }).ToArray();
        var tag = HMACSHA1.HashData(authKey, packet).AsSpan(0, 10).ToArray();
        var (result, plain) = UnprotectRtcp(receiver, packet.Concat(tag).ToArray());
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(RtcpPacket()[..32], plain);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void SRTCP_of_a_second_SSRC_has_its_own_index(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        ProtectRtcp(sender, RtcpPacket(ssrc: 1));
        var second = ProtectRtcp(sender, RtcpPacket(ssrc: 2));
        var wordOffset = sender.Profile.IsAead ? second.Length - 4 : 32;
        Assert.Equal(0x8000_0000u, BinaryPrimitives.ReadUInt32BigEndian(second.AsSpan(wordOffset)));
        Assert.Equal(SrtpResult.Ok, UnprotectRtcp(receiver, second).Result);
    }

    private static byte[] ProtectRtcp(SrtpContext sender, byte[] plain)
    {
        Assert.Equal(SrtpResult.Ok, sender.ProtectRtcp(plain, 32, out var length));
        return plain[..length];
    }

    private static (SrtpResult Result, byte[] Plain) UnprotectRtcp(SrtpContext receiver, byte[] srtcp)
    {
        var buffer = (byte[])srtcp.Clone();
        var result = receiver.UnprotectRtcp(buffer, buffer.Length, out var length);
        return (result, buffer[..length]);
    }
}
