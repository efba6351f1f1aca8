using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>Inbound path: UDP receive loop, parse, Via fix-up, dispatch, and answers to malformed requests.</summary>
public sealed partial class SipTransportLayer
{
    private async Task RunUdpAsync(Socket socket, SipEndPoint local, CancellationToken ct)
    {
        // One pooled buffer per socket, reused for every datagram: the parser copies what it keeps.
        var buffer = ArrayPool<byte>.Shared.Rent(SipLimits.MaxMessageBytes + 1);
        EndPoint any = local.EndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                SocketReceiveFromResult received;
                try
                {
                    received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode == SocketError.OperationAborted)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    // ICMP port unreachable for an earlier send shows up here (ConnectionReset/Refused): keep going.
                    _logger.LogDebug("UDP receive on {Local}: {Error}", local, ex.SocketErrorCode);
                    continue;
                }

                var remote = new SipEndPoint(SipProtocol.Udp, (IPEndPoint)received.RemoteEndPoint);
                if (received.ReceivedBytes > SipLimits.MaxMessageBytes)
                {
                    Counters.ParseError(SipParseErrorReason.MessageTooLarge);
                    Counters.Drop();
                    continue;
                }

                var outcome = Parse(buffer.AsSpan(0, received.ReceivedBytes), out var message, out var error);
                await HandleAsync(outcome, message, error, remote, local).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private enum ParseOutcome
    {
        Message,
        KeepAlive,
        Error,
    }

    private static ParseOutcome Parse(ReadOnlySpan<byte> data, out SipMessage? message, out SipParseError? error)
    {
        if (data.Trim("\r\n"u8).IsEmpty)
        {
            message = null;
            error = null;
            return ParseOutcome.KeepAlive; // RFC 5626 §3.5.1 CRLF keep-alive
        }

        return SipMessageParser.TryParse(data, out message, out error) ? ParseOutcome.Message : ParseOutcome.Error;
    }

    private async ValueTask HandleAsync(ParseOutcome outcome, SipMessage? message, SipParseError? error,
        SipEndPoint remote, SipEndPoint local)
    {
        switch (outcome)
        {
            case ParseOutcome.Message:
                await DispatchAsync(message!, remote, local).ConfigureAwait(false);
                break;
            case ParseOutcome.Error:
                await RejectAsync(error!, remote).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Hands the message to its shard, or sheds it when that shard's queue is full.</summary>
    private ValueTask DispatchAsync(SipMessage message, SipEndPoint remote, SipEndPoint local)
    {
        if (!Accept(message, remote) || _dispatcher!.TryDispatch(message, remote, local))
        {
            return ValueTask.CompletedTask;
        }

        return ShedAsync(message, remote);
    }

    /// <summary>Counts the message and applies the receive-side Via fix-up (§18.2.1); false when nobody listens.</summary>
    private bool Accept(SipMessage message, SipEndPoint remote)
    {
        Counters.Received();
        if (message is SipRequest request)
        {
            ViaFixup.Apply(request, remote.EndPoint);
        }

        return _handler is not null;
    }

    /// <summary>
    /// Overload: a request (not ACK) gets 503 with Retry-After (RFC 3261 §21.5.4) so the client backs off or tries
    /// elsewhere; responses and ACKs are dropped (the peer retransmits). Counted, and warned about at most every 5 s.
    /// </summary>
    private async ValueTask ShedAsync(SipMessage message, SipEndPoint remote)
    {
        Counters.Overload();
        var shed = Interlocked.Increment(ref _shedSinceLog);
        var nowMs = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastOverloadLog);
        if (nowMs - last >= 5000 && Interlocked.CompareExchange(ref _lastOverloadLog, nowMs, last) == last)
        {
            Interlocked.Exchange(ref _shedSinceLog, 0);
            _logger.LogWarning("SIP overload: {Shed} messages shed (503 to requests) since the last report; " +
                "{Pending} queued behind waiting handlers", shed, PendingMessages);
        }

        if (message is SipRequest { Method: not SipMethod.Ack } request)
        {
            var response = SipResponse.CreateFor(request, 503, "Service Unavailable");
            response.Headers.Add(HeaderName.RetryAfter, OverloadRetryAfterSeconds.ToString(CultureInfo.InvariantCulture));
            await SendAsync(response, ResponseDestination(request, remote)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A message that failed to parse: a request whose Via, From, To, Call-ID and CSeq are usable is answered
    /// with the parser's status code (never an ACK); anything else is dropped. Both are counted.
    /// </summary>
    private async ValueTask RejectAsync(SipParseError error, SipEndPoint remote)
    {
        Counters.ParseError(error.Reason);
        _parseLog.Record(error, remote, "parse error");
        if (error.Partial is not { } partial || partial.Method == SipMethod.Ack)
        {
            Counters.Drop();
            return;
        }

        ViaFixup.Apply(partial, remote.EndPoint);
        var status = error.StatusCode is >= 300 and <= 699 ? error.StatusCode : 400;
        var response = SipResponse.CreateFor(partial, status, SafeReason(error.Message, status));
        if (await SendAsync(response, ResponseDestination(partial, remote)).ConfigureAwait(false))
        {
            Counters.AnsweredMalformedRequest();
        }
    }

    /// <summary>The parser's message as a reason phrase, when it is printable single-line text.</summary>
    private static string SafeReason(string? message, int status)
    {
        if (string.IsNullOrWhiteSpace(message) || message.Length > 200)
        {
            return SipResponse.DefaultReason(status);
        }

        foreach (var c in message)
        {
            if (c < ' ' || c == 127)
            {
                return SipResponse.DefaultReason(status);
            }
        }

        return message;
    }
}
