using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Tests.Media;

/// <summary>A scripted remote RTP peer on loopback (RTP socket + RTCP socket on port + 1 when available).</summary>
internal sealed class FarEnd : IRtpFarEnd
{
    private readonly byte[] _buffer = new byte[2048];
    private readonly SocketAddress _from = new(AddressFamily.InterNetwork);
    private ushort _seq = 1000;
    private uint _ts = 50000;

    public FarEnd(uint ssrc = 0x11223344)
    {
        Ssrc = ssrc;
        for (var attempt = 0; ; attempt++)
        {
            Rtp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            Rtp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var port = ((IPEndPoint)Rtp.LocalEndPoint!).Port;
            Rtcp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                Rtcp.Bind(new IPEndPoint(IPAddress.Loopback, port + 1));
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                Rtp.Dispose();
                Rtcp.Dispose();
            }
        }
    }

    public Socket Rtp { get; private set; }
    public Socket Rtcp { get; private set; }
    public uint Ssrc { get; }
    public IPEndPoint EndPoint => (IPEndPoint)Rtp.LocalEndPoint!;

    public SocketAddress SessionAddress(int port) => new IPEndPoint(IPAddress.Loopback, port).Serialize();

    public void SendRtp(int sessionPort, byte payloadType, ReadOnlySpan<byte> payload, bool marker = false,
        uint? timestamp = null, bool advance = true)
    {
        var packet = new byte[12 + payload.Length];
        new RtpHeader(payloadType, _seq, timestamp ?? _ts, Ssrc, marker).TryWrite(packet, out _);
        payload.CopyTo(packet.AsSpan(12));
        Rtp.SendTo(packet, new IPEndPoint(IPAddress.Loopback, sessionPort));
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
        Rtcp.SendTo(data, new IPEndPoint(IPAddress.Loopback, sessionRtcpPort));

    public void SendRaw(int sessionPort, byte[] datagram) =>
        Rtp.SendTo(datagram, new IPEndPoint(IPAddress.Loopback, sessionPort));

    public void SendRaw(ReadOnlySpan<byte> datagram, SocketAddress to) => Rtp.SendTo(datagram, SocketFlags.None, to);

    public List<(RtpHeader Header, byte[] Payload)> DrainRtp()
    {
        var list = new List<(RtpHeader, byte[])>();
        while (Rtp.Available > 0)
        {
            var n = Rtp.ReceiveFrom(_buffer, SocketFlags.None, _from);
            if (RtpHeader.TryRead(_buffer.AsSpan(0, n), out var h, out var hl))
            {
                list.Add((h, h.GetPayload(_buffer.AsSpan(0, n), hl).ToArray()));
            }
        }

        return list;
    }

    public List<byte[]> DrainRtcp()
    {
        var list = new List<byte[]>();
        while (Rtcp.Available > 0)
        {
            var n = Rtcp.ReceiveFrom(_buffer, SocketFlags.None, _from);
            list.Add(_buffer.AsSpan(0, n).ToArray());
        }

        return list;
    }

    public void Discard()
    {
        while (Rtp.Available > 0)
        {
            Rtp.ReceiveFrom(_buffer, SocketFlags.None, _from);
        }
    }

    public void Dispose()
    {
        Rtp.Dispose();
        Rtcp.Dispose();
    }
}
