using Telephony.Pbx.Rtp.Srtp;
using static Telephony.Pbx.Tests.Rtp.Srtp.SrtpTestPackets;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SrtpContextRtpTests
{
    public static TheoryData<string, string> All => ProfilesAndBackends;

    [Theory]
    [MemberData(nameof(All))]
    public void Protect_then_unprotect_round_trips_a_172_byte_G711_packet(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var plain = RtpPacket(1000);
        var srtp = Protect(sender, plain, 172);
        Assert.Equal(172 + sender.Profile.RtpAuthTagLength, srtp.Length);
        Assert.Equal(plain[..12], srtp[..12]); // the header stays clear
        Assert.NotEqual(plain[12..172], srtp[12..172]);
        var (result, back) = Unprotect(receiver, srtp);
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(plain[..172], back);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Seq_wrap_65535_to_0_increments_the_ROC_on_both_sides(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        foreach (ushort seq in new ushort[] { 65534, 65535, 0, 1 })
        {
            var (result, back) = Unprotect(receiver, Protect(sender, RtpPacket(seq), 172));
            Assert.Equal(SrtpResult.Ok, result);
            Assert.Equal(RtpPacket(seq)[..172], back);
        }

        Assert.True(receiver.TryGetRtpState(0xCAFEBABE, out var roc, out var highest));
        Assert.Equal(1u, roc);
        Assert.Equal(1, highest);
        Assert.True(sender.TryGetRtpState(0xCAFEBABE, out var senderRoc, out _));
        Assert.Equal(1u, senderRoc);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Late_packet_from_before_the_rollover_uses_ROC_minus_1_and_is_accepted_once(string profile,
        string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var packets = new Dictionary<ushort, byte[]>();
        foreach (ushort seq in new ushort[] { 65533, 65534, 65535, 0, 1 })
        {
            packets[seq] = Protect(sender, RtpPacket(seq), 172);
        }

        foreach (ushort seq in new ushort[] { 65533, 65535, 0, 1 })
        {
            Assert.Equal(SrtpResult.Ok, Unprotect(receiver, packets[seq]).Result);
        }

        var (late, plain) = Unprotect(receiver, packets[65534]);
        Assert.Equal(SrtpResult.Ok, late);
        Assert.Equal(RtpPacket(65534)[..172], plain);
        Assert.Equal(SrtpResult.Replayed, Unprotect(receiver, packets[65534]).Result);
        Assert.True(receiver.TryGetRtpState(0xCAFEBABE, out var roc, out var highest));
        Assert.Equal((1u, (ushort)1), (roc, highest));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Replayed_packet_is_refused(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var srtp = Protect(sender, RtpPacket(7), 172);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, srtp).Result);
        Assert.Equal(SrtpResult.Replayed, Unprotect(receiver, srtp).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Packet_128_behind_the_highest_is_too_old_and_127_behind_is_accepted(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var packets = new byte[1001][];
        for (var seq = 800; seq <= 1000; seq++)
        {
            packets[seq] = Protect(sender, RtpPacket((ushort)seq), 172);
        }

        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, packets[1000]).Result);
        Assert.Equal(SrtpResult.TooOld, Unprotect(receiver, packets[1000 - 128]).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, packets[1000 - 127]).Result);
        Assert.Equal(SrtpResult.Replayed, Unprotect(receiver, packets[1000 - 127]).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Tampered_payload_tag_or_header_fails_authentication_and_leaves_the_stream_unchanged(string profile,
        string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var srtp = Protect(sender, RtpPacket(50), 172);
        foreach (var offset in new[] { 1, 3, 11, 12, 100, 171, srtp.Length - 1 })
        {
            var bad = (byte[])srtp.Clone();
            bad[offset] ^= 0x04;
            Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(receiver, bad).Result);
        }

        Assert.False(receiver.TryGetRtpState(0xCAFEBABE, out _, out _));
        Assert.Equal(0, receiver.StreamCount);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, srtp).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Forged_packet_far_ahead_does_not_move_the_replay_window(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var first = Protect(sender, RtpPacket(10), 172);
        var second = Protect(sender, RtpPacket(11), 172);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, first).Result);
        var forged = Protect(sender, RtpPacket(30000), 172);
        forged[^1] ^= 1;
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(receiver, forged).Result);
        Assert.Equal(SrtpResult.Ok, Unprotect(receiver, second).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Wrong_master_key_fails_authentication(string profile, string backend)
    {
        var (sender, _) = Pair(profile, backend);
        var p = sender.Profile;
        var otherKey = new byte[16];
        otherKey[0] = 1;
        using var stranger = SrtpContext.CreateInbound(p, otherKey, MasterSalt14.AsSpan(0, p.MasterSaltLength));
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(stranger, Protect(sender, RtpPacket(1), 172)).Result);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Too_short_and_bad_headers_are_refused_with_their_reason(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var srtp = Protect(sender, RtpPacket(1), 172);
        var tag = receiver.Profile.RtpAuthTagLength;
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtp(new byte[64], 12 + tag - 1, out _));
        Assert.Equal(SrtpResult.TooShort, receiver.UnprotectRtp([], 0, out _));

        var version1 = (byte[])srtp.Clone();
        version1[0] = 0x40;
        Assert.Equal(SrtpResult.BadHeader, receiver.UnprotectRtp(version1, version1.Length, out _));

        var csrcsIntoTag = srtp[..(12 + tag + 8)];
        csrcsIntoTag[0] = 0x8F; // CC = 15: 60 bytes of CSRCs, past the end
        Assert.Equal(SrtpResult.BadHeader, receiver.UnprotectRtp(csrcsIntoTag, csrcsIntoTag.Length, out _));

        var extension = (byte[])srtp.Clone();
        extension[0] = 0x90;
        extension[14] = 0xFF; // extension length 0xFF.. words
        Assert.Equal(SrtpResult.BadHeader, receiver.UnprotectRtp(extension, extension.Length, out _));

        Assert.Equal(SrtpResult.TooShort, sender.ProtectRtp(new byte[64], 11, out _));
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Protect_without_room_for_the_tag_is_refused(string profile, string backend)
    {
        var (sender, _) = Pair(profile, backend);
        var buffer = RtpPacket(1)[..(172 + sender.Profile.RtpAuthTagLength - 1)];
        Assert.Equal(SrtpResult.BufferTooSmall, sender.ProtectRtp(buffer, 172, out _));
        Assert.False(sender.TryProtectRtp(buffer, 172, out var length));
        Assert.Equal(0, length);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void CSRCs_and_header_extension_are_authenticated_but_not_encrypted(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        byte[] header =
        [
            0x91, 0x00, 0x00, 0x05, 0, 0, 0, 0, 0xCA, 0xFE, 0xBA, 0xBE, // CC = 1, X = 1
            0x00, 0x00, 0x00, 0x02, // CSRC
            0xBE, 0xDE, 0x00, 0x01, 0x10, 0xAA, 0x00, 0x00, // one-word extension
        ];
        var plain = new byte[header.Length + 20 + Room];
        header.CopyTo(plain, 0);
        plain.AsSpan(header.Length, 20).Fill(0x55);
        var srtp = Protect(sender, plain, header.Length + 20);
        Assert.Equal(header, srtp[..header.Length]);
        Assert.NotEqual(plain[header.Length..(header.Length + 20)], srtp[header.Length..(header.Length + 20)]);

        var tampered = (byte[])srtp.Clone();
        tampered[17] ^= 1; // extension profile byte
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(receiver, tampered).Result);
        tampered = (byte[])srtp.Clone();
        tampered[15] ^= 1; // CSRC
        Assert.Equal(SrtpResult.AuthenticationFailed, Unprotect(receiver, tampered).Result);

        var (result, back) = Unprotect(receiver, srtp);
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(plain[..(header.Length + 20)], back);
    }

    [Theory]
    [MemberData(nameof(All))]
    public void Empty_payload_round_trips(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var (result, back) = Unprotect(receiver, Protect(sender, RtpPacket(3, payloadLength: 0), 12));
        Assert.Equal(SrtpResult.Ok, result);
        Assert.Equal(RtpPacket(3, payloadLength: 0)[..12], back);
    }
}
