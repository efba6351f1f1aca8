using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Media.Transport;

namespace Telephony.Pbx.Media.Session;

/// <summary>
/// A session's RTP I/O: its <see cref="IRtpChannel"/>, the <see cref="IRtpTransform"/> between the channel and the
/// RTP parser (plain RTP by default; SRTP or the WebRTC stack plug in here), where we send RTP and RTCP, and
/// symmetric RTP (RFC 4961): after <see cref="LatchAfterPackets"/> valid packets from a new source, send there. Once
/// the transform has set the destination (ICE), it alone moves it, and RTCP may be multiplexed on the RTP socket
/// (RFC 5761). Loop thread only, except <see cref="IRtpChannel.TrySend"/> on the channel and
/// <see cref="ReportFailure"/>.
/// </summary>
internal sealed class RtpIo : IRtpTransformContext
{
    /// <summary>Consecutive packets from a new source address before sending switches to it.</summary>
    public const int LatchAfterPackets = 2;

    private readonly MediaLoop _loop;
    private readonly SocketAddress _candidate;
    private readonly Action<string> _onTransportFailed;
    private IRtpTransform _transform = PlainRtpTransform.Instance;
    private SocketAddress? _remote;
    private SocketAddress? _rtcpRemote;
    private int _candidateCount;
    private bool _transformOwnsRemote;
    private bool _rtcpMux;

    public RtpIo(IRtpChannel channel, MediaLoop loop, Action<string> onTransportFailed)
    {
        Channel = channel;
        _loop = loop;
        _onTransportFailed = onTransportFailed;
        _candidate = new SocketAddress(channel.AddressFamily);
        Source = new SocketAddress(channel.AddressFamily);
    }

    public IRtpChannel Channel { get; }

    /// <summary>
    /// Sender of the datagram just read (one per session, in the channel's family: <see cref="SocketAddress"/>
    /// equality compares whole buffers).
    /// </summary>
    public SocketAddress Source { get; }

    /// <summary>True once we know where to send RTP.</summary>
    public bool HasRemote => _remote is not null;

    /// <summary>Room the transform needs after a packet (SRTP tag).</summary>
    public int MaxOverheadBytes => _transform.MaxOverheadBytes;

    /// <summary>The signalled address (SDP): RTP there, RTCP to its port + 1; any latch in progress restarts.</summary>
    public void SetSignalledRemote(SocketAddress rtp, SocketAddress rtcp)
    {
        if (_transformOwnsRemote)
        {
            return; // ICE chose the destination; the SDP address of a WebRTC peer is only a default (RFC 8839 §4.2)
        }

        _remote = rtp;
        _rtcpRemote = rtcp;
        _candidateCount = 0;
    }

    public void SetTransform(IRtpTransform transform)
    {
        if (ReferenceEquals(transform, _transform))
        {
            return;
        }

        _transform.Detach();
        _transform = transform;
        transform.Attach(this);
    }

    /// <summary>
    /// Reads one datagram from <paramref name="socket"/> into the loop's receive buffer (sender in
    /// <see cref="Source"/>) and passes it through the transform. False when nothing was queued.
    /// </summary>
    public bool TryReceive(MediaSocket socket, out MediaPacketKind kind, out int length)
    {
        var source = Source;
        var buffer = _loop.ReceiveBuffer.AsSpan();
        length = Channel.TryReceive(socket, buffer, source);
        if (length < 0)
        {
            kind = MediaPacketKind.Consumed;
            return false;
        }

        _loop.PacketsIn++;
        kind = _transform.Inbound(socket, buffer, ref length, source);
        return true;
    }

    /// <summary>Symmetric RTP: a valid packet from <paramref name="source"/>; switch after two in a row from a new one.</summary>
    public void Latch(SocketAddress source)
    {
        if (_transformOwnsRemote || (_remote is not null && source.Equals(_remote)))
        {
            _candidateCount = 0;
            return;
        }

        if (_candidateCount > 0 && source.Equals(_candidate))
        {
            _candidateCount++;
        }
        else
        {
            Copy(source, _candidate);
            _candidateCount = 1;
        }

        if (_candidateCount < LatchAfterPackets)
        {
            return;
        }

        // Rare: allocations are fine here.
        var remote = Clone(_candidate);
        _remote = remote;
        var endPoint = (IPEndPoint)new IPEndPoint(IPAddress.IPv6Any, 0).Create(remote);
        _rtcpRemote = new IPEndPoint(endPoint.Address, endPoint.Port + 1).Serialize();
        _candidateCount = 0;
    }

    /// <summary>Symmetric RTCP: answer where valid reports come from.</summary>
    public void LearnRtcpSource(SocketAddress source)
    {
        if (!_transformOwnsRemote && (_rtcpRemote is null || !source.Equals(_rtcpRemote)))
        {
            _rtcpRemote = Clone(source); // rare
        }
    }

    /// <summary>Sends the RTP packet at the start of <paramref name="buffer"/> (transformed in place first).</summary>
    public bool SendRtp(Span<byte> buffer, int length) => Send(MediaPacketKind.Rtp, MediaSocket.Rtp, buffer, length, _remote);

    /// <summary>Sends the RTCP compound at the start of <paramref name="buffer"/>; false when there is nowhere to send.</summary>
    public bool SendRtcp(Span<byte> buffer, int length) =>
        Send(MediaPacketKind.Rtcp, _rtcpMux ? MediaSocket.Rtp : MediaSocket.Rtcp, buffer, length, _rtcpRemote);

    /// <summary>The session closed: detach the transform, release the channel's ports.</summary>
    public void Close()
    {
        _transform.Detach();
        Channel.Dispose();
    }

    void IRtpTransformContext.SetRemote(SocketAddress rtp, SocketAddress? rtcp)
    {
        ArgumentNullException.ThrowIfNull(rtp);
        _remote = Clone(rtp);
        _rtcpRemote = rtcp is null ? _remote : Clone(rtcp);
        _rtcpMux = rtcp is null;
        _transformOwnsRemote = true;
        _candidateCount = 0;
    }

    public void CountDrop(MediaDropReason reason) => _loop.CountDrop(reason);

    public void ReportFailure(string reason) => _onTransportFailed(reason);

    /// <summary>An endpoint as a <see cref="SocketAddress"/> of the channel's family (IPv4 mapped for IPv6 sockets).</summary>
    public SocketAddress ToSocketAddress(IPEndPoint endPoint)
    {
        if (Channel.AddressFamily == AddressFamily.InterNetworkV6 && endPoint.AddressFamily == AddressFamily.InterNetwork)
        {
            endPoint = new IPEndPoint(endPoint.Address.MapToIPv6(), endPoint.Port);
        }

        return endPoint.Serialize();
    }

    private bool Send(MediaPacketKind kind, MediaSocket socket, Span<byte> buffer, int length, SocketAddress? to)
    {
        if (to is null)
        {
            return false;
        }

        if (!_transform.Outbound(kind, buffer, ref length) || !Channel.TrySend(socket, buffer[..length], to))
        {
            _loop.CountDrop(MediaDropReason.SendFailed);
            return false;
        }

        _loop.PacketsOut++;
        return true;
    }

    private static SocketAddress Clone(SocketAddress source)
    {
        var copy = new SocketAddress(source.Family, source.Size);
        Copy(source, copy);
        return copy;
    }

    private static void Copy(SocketAddress from, SocketAddress to)
    {
        from.Buffer.Span[..from.Size].CopyTo(to.Buffer.Span);
        to.Size = from.Size;
    }
}
