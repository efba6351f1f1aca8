using System.Collections.Concurrent;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// Counters of <see cref="SipTransportLayer"/> (RFC 3261 §18): traffic, parse errors by reason (STYLE: bad input
/// is counted, not logged per packet), drops and malformed requests answered with an error status.
/// </summary>
public sealed class TransportCounters
{
    private readonly ConcurrentDictionary<SipParseErrorReason, long> _byReason = new();
    private long _received;
    private long _sent;
    private long _sendFailures;
    private long _parseErrors;
    private long _dropped;
    private long _answeredMalformed;
    private long _handlerErrors;
    private long _overloaded;
    private long _tcpAccepted;
    private long _tcpConnected;
    private long _tcpOpen;

    /// <summary>Messages parsed and handed to the <see cref="ISipMessageHandler"/>.</summary>
    public long MessagesReceived => Interlocked.Read(ref _received);

    /// <summary>Messages written to a socket.</summary>
    public long MessagesSent => Interlocked.Read(ref _sent);

    /// <summary>Sends that failed (no socket for the family, connect failure, socket error).</summary>
    public long SendFailures => Interlocked.Read(ref _sendFailures);

    /// <summary>Datagrams or TCP frames that failed to parse or frame.</summary>
    public long ParseErrors => Interlocked.Read(ref _parseErrors);

    /// <summary>Parse errors per reason.</summary>
    public IReadOnlyDictionary<SipParseErrorReason, long> ParseErrorsByReason =>
        new Dictionary<SipParseErrorReason, long>(_byReason);

    /// <summary>Malformed messages dropped without an answer (garbage, bad responses, unusable headers, oversize).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Malformed requests answered with the parser's status code (400, 413, 505...).</summary>
    public long AnsweredMalformed => Interlocked.Read(ref _answeredMalformed);

    /// <summary>Exceptions thrown by the <see cref="ISipMessageHandler"/> (logged and survived).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    /// <summary>Messages shed because their worker's queue was full (requests answered 503, others dropped).</summary>
    public long Overloaded => Interlocked.Read(ref _overloaded);

    /// <summary>Inbound TCP connections accepted.</summary>
    public long TcpConnectionsAccepted => Interlocked.Read(ref _tcpAccepted);

    /// <summary>Outbound TCP connections opened.</summary>
    public long TcpConnectionsOpened => Interlocked.Read(ref _tcpConnected);

    /// <summary>TCP connections currently open.</summary>
    public long TcpConnectionsOpen => Interlocked.Read(ref _tcpOpen);

    internal void Received() => Interlocked.Increment(ref _received);

    internal void Sent() => Interlocked.Increment(ref _sent);

    internal void SendFailed() => Interlocked.Increment(ref _sendFailures);

    internal void ParseError(SipParseErrorReason reason)
    {
        Interlocked.Increment(ref _parseErrors);
        _byReason.AddOrUpdate(reason, 1, static (_, n) => n + 1);
    }

    internal void Drop() => Interlocked.Increment(ref _dropped);

    internal void AnsweredMalformedRequest() => Interlocked.Increment(ref _answeredMalformed);

    internal void HandlerError() => Interlocked.Increment(ref _handlerErrors);

    internal void Overload() => Interlocked.Increment(ref _overloaded);

    internal void TcpAccepted()
    {
        Interlocked.Increment(ref _tcpAccepted);
        Interlocked.Increment(ref _tcpOpen);
    }

    internal void TcpConnected()
    {
        Interlocked.Increment(ref _tcpConnected);
        Interlocked.Increment(ref _tcpOpen);
    }

    internal void TcpClosed() => Interlocked.Decrement(ref _tcpOpen);
}
