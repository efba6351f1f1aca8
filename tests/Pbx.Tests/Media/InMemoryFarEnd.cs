using System.Net;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Transport.InMemory;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Tests.Media;

/// <summary>A scripted remote RTP peer on an <see cref="InMemoryMediaNetwork"/> (RTP + RTCP on port + 1).</summary>
internal sealed class InMemoryFarEnd : IRtpFarEnd
{
    private readonly InMemoryMediaNetwork _network;
    private readonly byte[] _buffer = new byte[2048];
    private readonly SocketAddress _from = new(System.Net.Sockets.AddressFamily.InterNetwork);
    private ushort _seq = 1000;
    private uint _ts = 50000;

    public InMemoryFarEnd(InMemoryMediaNetwork network, uint ssrc = 0x11223344, IPAddress? address = null)
    {
        _network = network;
        Ssrc = ssrc;
        (Rtp, Rtcp) = network.BindPair(address ?? IPAddress.Parse("192.0.2.10"));
    }

    public InMemoryDatagramSocket Rtp { get; }
    public InMemoryDatagramSocket Rtcp { get; }
    public uint Ssrc { get; }
    public IPEndPoint EndPoint => Rtp.LocalEndPoint;

    public SocketAddress SessionAddress(int port) => new IPEndPoint(_network.SessionAddress, port).Serialize();

    public void SendRtp(int sessionPort, byte payloadType, ReadOnlySpan<byte> payload, bool marker = false,
        uint? timestamp = null, bool advance = true)
    {
        var packet = new byte[12 + payload.Length];
        new RtpHeader(payloadType, _seq, timestamp ?? _ts, Ssrc, marker).TryWrite(packet, out _);
        payload.CopyTo(packet.AsSpan(12));
        Rtp.SendTo(packet, new IPEndPoint(_network.SessionAddress, sessionPort));
        _seq++;
        if (advance)
        {
            _ts += 160;
        }
    }

    public void SendPcmu(int sessionPort, ReadOnlySpan<short> pcm)
    {
        var codes = new byte[pcm.Length];
        MuLaw.Encode(pcm, codes);
        SendRtp(sessionPort, 0, codes);
    }

    public void SendRtcp(int sessionRtcpPort, byte[] data) =>
        Rtcp.SendTo(data, new IPEndPoint(_network.SessionAddress, sessionRtcpPort));

    public void SendRaw(int sessionPort, byte[] datagram) =>
        Rtp.SendTo(datagram, new IPEndPoint(_network.SessionAddress, sessionPort));

    public void SendRaw(ReadOnlySpan<byte> datagram, SocketAddress to) => Rtp.SendTo(datagram, to);

    public List<(RtpHeader Header, byte[] Payload)> DrainRtp()
    {
        var list = new List<(RtpHeader, byte[])>();
        foreach (var datagram in Rtp.Drain())
        {
            if (RtpHeader.TryRead(datagram, out var h, out var hl))
            {
                list.Add((h, h.GetPayload(datagram, hl).ToArray()));
            }
        }

        return list;
    }

    public List<byte[]> DrainRtcp() => Rtcp.Drain();

    public void Discard()
    {
        while (Rtp.TryReceive(_buffer, _from) >= 0 || Rtcp.TryReceive(_buffer, _from) >= 0)
        {
        }
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
