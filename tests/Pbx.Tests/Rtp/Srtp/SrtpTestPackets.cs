using System.Buffers.Binary;
using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.Rtp.Srtp.Crypto;
using Telephony.Pbx.Tests.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Tests.Rtp.Srtp;

/// <summary>Packets and context pairs for the SRTP tests.</summary>
internal static class SrtpTestPackets
{
    public const int Room = 32;

    public static readonly byte[] MasterKey = Hex.Bytes("E1F97A0D3E018BE0D64FA32C06DE4139");
    public static readonly byte[] MasterSalt14 = Hex.Bytes("0EC675AD498AFEEBB6960B3AABE6");

    public static SrtpProfile Profile(string sdesName)
    {
        Assert.True(SrtpProfile.TryFromSdesName(sdesName, out var profile));
        return profile;
    }

    /// <summary>An outbound and an inbound context keyed alike, as the two ends of one direction.</summary>
    public static (SrtpContext Sender, SrtpContext Receiver) Pair(string profileName, string backend,
        int maxStreams = SrtpContext.DefaultMaxStreams)
    {
        var profile = Profile(profileName);
        var salt = MasterSalt14.AsSpan(0, profile.MasterSaltLength);
        var b = BackendData.Parse(backend);
        return (SrtpContext.Create(profile, SrtpDirection.Outbound, MasterKey, salt, maxStreams, b),
            SrtpContext.Create(profile, SrtpDirection.Inbound, MasterKey, salt, maxStreams, b));
    }

    /// <summary>A 172-byte G.711 RTP packet (12-byte header, 160-byte payload) with room for a tag.</summary>
    public static byte[] RtpPacket(ushort seq, uint ssrc = 0xCAFEBABE, int payloadLength = 160, byte marker = 0)
    {
        var buffer = new byte[12 + payloadLength + Room];
        buffer[0] = 0x80;
        buffer[1] = (byte)(marker << 7);
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), seq * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(8), ssrc);
        for (var i = 0; i < payloadLength; i++)
        {
            buffer[12 + i] = (byte)(0xD5 ^ i ^ seq);
        }

        return buffer;
    }

    /// <summary>An RTCP receiver report (RFC 3550 §6.4.2) with one report block, plus room for the SRTCP trailer.</summary>
    public static byte[] RtcpPacket(uint ssrc = 0xCAFEBABE)
    {
        var buffer = new byte[32 + Room];
        buffer[0] = 0x81;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), 7);
        BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), ssrc);
        for (var i = 8; i < 32; i++)
        {
            buffer[i] = (byte)(i * 7);
        }

        return buffer;
    }

    public static TheoryData<string, string> ProfilesAndBackends
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var profile in SrtpProfile.All)
            {
                foreach (var backend in BackendData.All)
                {
                    data.Add(profile.SdesName, backend);
                }
            }

            return data;
        }
    }

    /// <summary>Protects a copy of <paramref name="plain"/> and returns the SRTP bytes.</summary>
    public static byte[] Protect(SrtpContext sender, byte[] plain, int length)
    {
        var buffer = (byte[])plain.Clone();
        Assert.Equal(SrtpResult.Ok, sender.ProtectRtp(buffer, length, out var protectedLength));
        return buffer[..protectedLength];
    }

    /// <summary>Unprotects a copy (with spare room) and returns the result and the plain bytes.</summary>
    public static (SrtpResult Result, byte[] Plain) Unprotect(SrtpContext receiver, byte[] srtp)
    {
        var buffer = new byte[srtp.Length + Room];
        srtp.CopyTo(buffer, 0);
        var result = receiver.UnprotectRtp(buffer, srtp.Length, out var plainLength);
        return (result, buffer[..plainLength]);
    }

    public static SrtpCryptoBackend Backend(string name) => BackendData.Parse(name);
}
