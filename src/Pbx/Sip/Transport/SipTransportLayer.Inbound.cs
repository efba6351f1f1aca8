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
    /// <summary>
    /// Starts the receive loop of one UDP socket on its own thread. Not a thread-pool loop: under call-setup load the
    /// pool's queue held thousands of work items (recording writers, call work; 8,000 at 1,000 setups/s on a loaded
    /// box), and an awaited receive resumed only after them, so the socket buffer overflowed and INVITEs waited seconds
    /// before being parsed. A thread of its own is scheduled by the kernel next to the pool's and the media loops'.
    /// </summary>
    private Task StartUdpReceiver(Socket socket, SipEndPoint local, CancellationToken ct)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                RunUdp(socket, local, ct);
                stopped.TrySetResult();
            }
            catch (Exception ex)
            {
                stopped.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "sip-udp-" + local.EndPoint.Port.ToString(CultureInfo.InvariantCulture),
        };
        thread.Start();
        return stopped.Task;
    }

    private void RunUdp(Socket socket, SipEndPoint local, CancellationToken ct)
    {
        // One pooled buffer per socket, reused for every datagram: the parser copies what it keeps.
        var buffer = ArrayPool<byte>.Shared.Rent(SipLimits.MaxMessageBytes + 1);
        EndPoint any = local.EndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        // A blocking receive wakes up at least this often to see whether the transport is stopping.
        socket.ReceiveTimeout = UdpStopCheckMs;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                int receivedBytes;
                EndPoint from = any;
                try
                {
                    receivedBytes = socket.ReceiveFrom(buffer, SocketFlags.None, ref from);
                }
                catch (ObjectDisposedException)
                {
                    break;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
                {
                    continue;
                }
                catch (SocketException ex) when (ex.SocketErrorCode is SocketError.OperationAborted or SocketError.Interrupted
                    || ct.IsCancellationRequested)
                {
                    break;
                }
                catch (SocketException ex)
                {
                    // ICMP port unreachable for an earlier send shows up here (ConnectionReset/Refused): keep going.
                    _logger.LogDebug("UDP receive on {Local}: {Error}", local, ex.SocketErrorCode);
                    continue;
                }

                var remote = new SipEndPoint(SipProtocol.Udp, (IPEndPoint)from);
                if (receivedBytes > SipLimits.MaxMessageBytes)
                {
                    Counters.ParseError(SipParseErrorReason.MessageTooLarge);
                    Counters.Drop();
                    continue;
                }

                var outcome = Parse(buffer.AsSpan(0, receivedBytes), out var message, out var error);
                var handling = HandleAsync(outcome, message, error, remote, local);
                if (!handling.IsCompletedSuccessfully)
                {
                    // A 503 or an answer to a malformed request still being sent: it finishes on its own; the loop
                    // goes on reading (the dispatcher never makes the loop wait for a handler).
                    _ = ObserveAsync(handling);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ObserveAsync(ValueTask handling)
    {
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "SIP answer to an unusable UDP message failed");
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
