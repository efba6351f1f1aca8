namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A block of <see cref="Size"/> loopback ports owned by one test class, so classes never collide with each
/// other or with a developer's server on 5060/8080. Layout (offsets from <see cref="Base"/>):
/// 0 server SIP (UDP and TCP), 1 server HTTP, 2 server SIP over TLS, 3 server HTTPS, 10..39 peer SIP ports (3 each: SIP, SIP+1 for baresip's TLS,
/// SIP+2 for its control port), 40..99 peer media (10 each), 100..199 the server's RTP range.
/// </summary>
public sealed record PortBlock(int Base)
{
    /// <summary>Ports per block.</summary>
    public const int Size = 200;

    /// <summary>How many peers can get SIP ports (<see cref="PeerSip"/>).</summary>
    public const int MaxPeers = 10;

    /// <summary>How many peers can get media ranges (<see cref="PeerMedia"/>).</summary>
    public const int MaxMediaPeers = 6;

    /// <summary>The server's SIP port, UDP and TCP.</summary>
    public int Sip => Base;

    /// <summary>The server's HTTP port (health, API).</summary>
    public int Http => Base + 1;

    /// <summary>The server's SIP over TLS port (<c>sip.tlsPort</c>).</summary>
    public int SipTls => Base + 2;

    /// <summary>The server's HTTPS port (<c>http.httpsPort</c>).</summary>
    public int Https => Base + 3;

    /// <summary>First port of the server's RTP range.</summary>
    public int RtpMin => Base + 100;

    /// <summary>Last port of the server's RTP range.</summary>
    public int RtpMax => Base + Size - 1;

    /// <summary>SIP port of peer <paramref name="index"/>; <c>+1</c> and <c>+2</c> are reserved for it too.</summary>
    public int PeerSip(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxPeers);
        return Base + 10 + (3 * index);
    }

    /// <summary>First of 10 media ports of peer <paramref name="index"/> (SIPp uses P, P+2 and a sink at P+4).</summary>
    public int PeerMedia(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, MaxMediaPeers);
        return Base + 40 + (10 * index);
    }
}
