using Telephony.Pbx.Rtp.Srtp;
using static Telephony.Pbx.Tests.Rtp.Srtp.SrtpTestPackets;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

public class SrtpAllocationTests
{
    public static TheoryData<string, string> All => ProfilesAndBackends;

    [Theory]
    [MemberData(nameof(All))]
    public void Protect_and_unprotect_of_5000_RTP_and_RTCP_packets_allocate_0_bytes(string profile, string backend)
    {
        var (sender, receiver) = Pair(profile, backend);
        var rtp = RtpPacket(0);
        var rtcp = RtcpPacket();
        var plainRtcp = (byte[])rtcp.Clone();

        void Run(int from, int count)
        {
            for (var i = from; i < from + count; i++)
            {
                var seq = (ushort)i; // crosses 65535 -> 0 on the way
                rtp[2] = (byte)(seq >> 8);
                rtp[3] = (byte)seq;
                sender.ProtectRtp(rtp, 172, out var srtpLength);
                receiver.UnprotectRtp(rtp, srtpLength, out _);
                plainRtcp.CopyTo(rtcp, 0);
                sender.ProtectRtcp(rtcp, 32, out var srtcpLength);
                receiver.UnprotectRtcp(rtcp, srtcpLength, out _);
            }
        }

        Run(62000, 100); // warm up: JIT, first-use statics
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(62100, 5000);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.True(receiver.TryGetRtpState(0xCAFEBABE, out var roc, out _));
        Assert.Equal(1u, roc);

        // Refused packets (replay, forged) allocate nothing either on the AES-NI backend; the BCL GCM backend
        // throws internally on a bad tag (see BclAesGcm), so it is not held to this.
        if (backend == "Bcl" && receiver.Profile.IsAead)
        {
            return;
        }

        rtp[3]++;
        sender.ProtectRtp(rtp, 172, out var forgedLength);
        rtp[20] ^= 1;
        before = GC.GetAllocatedBytesForCurrentThread();
        var refused = 0;
        for (var i = 0; i < 1000; i++)
        {
            refused += receiver.UnprotectRtp(rtp, forgedLength, out _) == SrtpResult.AuthenticationFailed ? 1 : 0;
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, refused);
    }
}
