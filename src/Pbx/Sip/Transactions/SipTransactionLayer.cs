using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// The RFC 3261 §17 transaction layer (with RFC 6026): matches inbound messages to client and server
/// transactions (§17.1.3, §17.2.3), creates server transactions for new requests, answers CANCEL (§9.2),
/// routes ACKs for 2xx and stray responses to the TU, and runs client transactions for outbound requests.
/// All timers run on the injected <see cref="TimeProvider"/>. Each transaction has its own lock; the tables are
/// concurrent dictionaries, so <see cref="OnMessageAsync"/> may be called from several receive threads.
/// </summary>
public sealed class SipTransactionLayer : IAsyncDisposable, ISipMessageHandler
{
    private readonly ConcurrentDictionary<TransactionKey, ServerTransaction> _servers = new();
    private readonly ConcurrentDictionary<TransactionKey, ClientTransaction> _clients = new();
    private readonly ConcurrentDictionary<AckKey, ServerTransaction> _accepted = new();
    private readonly ConcurrentDictionary<TransactionKey, LingeringServerTransaction> _lingering = new();
    private readonly LingerQueue _lingerTimers;

    /// <param name="tryingAtOnceFrom">Sources whose INVITEs get 100 Trying as soon as they arrive, before the TU sees
    /// them (a cluster node's proxy: Kamailio fails a branch over to the next node when no reply comes within its
    /// fr_timer, and a node answering that INVITE later would give the caller a second call); others get it after
    /// <see cref="SipTimers.TryingDelay"/>.</param>
    public SipTransactionLayer(ISipMessageSender transport, ISipTransactionUser user, TimeProvider time,
        ILogger<SipTransactionLayer>? logger = null, SipTimers? timers = null, IReadOnlyCollection<System.Net.IPAddress>? tryingAtOnceFrom = null)
    {
        _tryingAtOnceFrom = tryingAtOnceFrom is { Count: > 0 } ? [.. tryingAtOnceFrom] : [];
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(time);
        Transport = transport;
        _user = user;
        Time = time;
        _lingerTimers = new LingerQueue(time);
        Logger = logger ?? (ILogger)NullLogger.Instance;
        Timers = timers ?? SipTimers.Default;
    }

    private readonly ISipTransactionUser _user;
    private readonly System.Net.IPAddress[] _tryingAtOnceFrom;

    /// <summary>Server plus client transactions not yet terminated (those waiting out Timer L or J included).</summary>
    public int ActiveTransactions => _servers.Count + _clients.Count + _lingering.Count;

    internal ISipMessageSender Transport { get; }

    internal TimeProvider Time { get; }

    internal ILogger Logger { get; }

    internal SipTimers Timers { get; }

    /// <summary>Every inbound message from the transport (<see cref="ISipMessageHandler"/>).</summary>
    public async ValueTask OnMessageAsync(SipMessage message, SipEndPoint remote, SipEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(message);
        switch (message)
        {
            case SipRequest request:
                await OnRequestAsync(request, remote, local).ConfigureAwait(false);
                break;
            case SipResponse response:
                await OnResponseAsync(response, remote).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>
    /// Creates and starts a client transaction. Adds a top Via (sent-by from
    /// <see cref="ISipMessageSender.GetLocalEndPoint"/>, ;rport) when there is none, a new branch when the top
    /// Via has none, and Max-Forwards: 70 when missing. A CANCEL without Via gets the top Via of the INVITE
    /// client transaction with the same Call-ID and CSeq number (same branch, §9.1).
    /// </summary>
    /// <exception cref="ArgumentException">ACK (use <see cref="SendStatelessAsync"/>) or a duplicate branch.</exception>
    public ClientTransaction SendRequest(SipRequest request, SipEndPoint destination,
        Action<ClientTransaction, SipResponse>? onResponse = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Method == SipMethod.Ack)
        {
            throw new ArgumentException("ACK has no client transaction; use SendStatelessAsync.", nameof(request));
        }

        if (request.Method == SipMethod.Cancel && !request.Headers.Contains(HeaderName.Via))
        {
            CopyViaFromInvite(request);
        }

        var branch = PrepareRequest(request, destination);
        var key = TransactionKey.ForClient(branch, request.Method);
        var transaction = new ClientTransaction(this, request, destination, key);
        if (!_clients.TryAdd(key, transaction))
        {
            throw new ArgumentException($"A client transaction with branch {branch} already exists.", nameof(request));
        }

        if (onResponse is not null)
        {
            // Subscribed before the request leaves: on a fast link the first response can beat any later +=.
            transaction.ResponseReceived += onResponse;
        }

        transaction.Start();
        return transaction;
    }

    /// <summary>Sends without a transaction (ACK for 2xx, stateless answers). Requests get Via/branch as above.</summary>
    public ValueTask<bool> SendStatelessAsync(SipMessage message, SipEndPoint destination)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message is SipRequest request)
        {
            PrepareRequest(request, destination);
        }

        return SendSafeAsync(message, destination);
    }

    public ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values)
        {
            server.Terminate();
        }

        foreach (var client in _clients.Values)
        {
            client.Abort();
        }

        _lingerTimers.Dispose();
        foreach (var lingering in _lingering.Values)
        {
            lingering.Expire();
        }

        _accepted.Clear();
        return ValueTask.CompletedTask;
    }

    private async ValueTask OnRequestAsync(SipRequest request, SipEndPoint remote, SipEndPoint local)
    {
        if (!TransactionKey.TryForServer(request, out var key))
        {
            Logger.LogDebug("Request {Method} from {Remote} without Via dropped", request.Method, remote);
            return;
        }

        if (request.Method == SipMethod.Ack)
        {
            await OnAckAsync(request, key, remote).ConfigureAwait(false);
            return;
        }

        if (_servers.TryGetValue(key, out var existing))
        {
            await existing.OnRetransmissionAsync().ConfigureAwait(false);
            return;
        }

        if (_lingering.TryGetValue(key, out var lingering))
        {
            // A retransmission of a request whose transaction is done: repeat the final response (non-INVITE,
            // §17.2.2) or absorb it (INVITE after the ACK for its 2xx, RFC 6026 §7.1).
            if (lingering.Resend is { } resend)
            {
                await SendSafeAsync(resend, lingering.Destination).ConfigureAwait(false);
            }

            return;
        }

        var transaction = new ServerTransaction(this, request, key, remote, local);
        if (!_servers.TryAdd(key, transaction))
        {
            if (_servers.TryGetValue(key, out existing))
            {
                await existing.OnRetransmissionAsync().ConfigureAwait(false);
            }

            return;
        }

        if (request.Method == SipMethod.Cancel)
        {
            await OnCancelAsync(transaction).ConfigureAwait(false);
            return;
        }

        await transaction.Start(SendsTryingAtOnce(remote)).ConfigureAwait(false);
        try
        {
            await _user.OnRequestAsync(transaction).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Transaction user failed on {Method} {CallId}", request.Method, request.CallId);
        }
    }

    private bool SendsTryingAtOnce(SipEndPoint remote)
    {
        if (_tryingAtOnceFrom.Length == 0)
        {
            return false;
        }

        var address = remote.EndPoint.Address;
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var proxy in _tryingAtOnceFrom)
        {
            if (proxy.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    private async ValueTask OnAckAsync(SipRequest ack, TransactionKey key, SipEndPoint remote)
    {
        if (_servers.TryGetValue(key, out var invite))
        {
            if (!invite.OnAck())
            {
                return; // ACK for a non-2xx: absorbed by the transaction (§17.2.1)
            }
        }
        else if (AckKey.TryCreate(ack, out var ackKey) && _accepted.TryGetValue(ackKey, out var accepted))
        {
            accepted.OnAckFor2xx();
        }

        try
        {
            await _user.OnAckAsync(ack, remote).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Transaction user failed on ACK {CallId}", ack.CallId);
        }
    }

    /// <summary>
    /// RFC 3261 §9.2: a CANCEL matching an INVITE server transaction (same branch and sent-by) is answered 200
    /// with the INVITE's To tag and the INVITE transaction raises Cancelled if no final was sent; otherwise 481.
    /// CANCEL for a non-INVITE request is answered 481 (cancelling those has no effect anyway).
    /// </summary>
    private async ValueTask OnCancelAsync(ServerTransaction cancel)
    {
        var inviteKey = cancel.Key with { Method = SipMethod.Invite };
        if (_servers.TryGetValue(inviteKey, out var invite))
        {
            var ok = SipResponse.CreateFor(cancel.Request, 200, null, invite.ToTag);
            await cancel.SendResponseAsync(ok).ConfigureAwait(false);
            invite.OnCancel();
        }
        else if (_lingering.TryGetValue(inviteKey, out var done) && done.IsInvite)
        {
            // The INVITE got its final response and ACK: the CANCEL matches but has no effect (§9.2).
            await cancel.SendResponseAsync(SipResponse.CreateFor(cancel.Request, 200, null, done.ToTag))
                .ConfigureAwait(false);
        }
        else
        {
            await cancel.SendResponseAsync(SipResponse.CreateFor(cancel.Request, 481)).ConfigureAwait(false);
        }
    }

    private async ValueTask OnResponseAsync(SipResponse response, SipEndPoint remote)
    {
        if (TransactionKey.TryForClient(response, out var key) && _clients.TryGetValue(key, out var transaction)
            && transaction.OnResponse(response))
        {
            return;
        }

        try
        {
            await _user.OnStrayResponseAsync(response, remote).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "Transaction user failed on stray {Status} {CallId}", response.StatusCode, response.CallId);
        }
    }

    /// <summary>Adds Via / branch / Max-Forwards as needed; returns the branch.</summary>
    private string PrepareRequest(SipRequest request, SipEndPoint destination)
    {
        var via = request.TopVia;
        if (via is null)
        {
            var local = Transport.GetLocalEndPoint(destination.Protocol).EndPoint;
            var host = local.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? "[" + local.Address + "]"
                : local.Address.ToString();
            var text = string.Create(CultureInfo.InvariantCulture,
                $"SIP/2.0/{SipTransportNames.ViaToken(destination.Protocol)} {host}:{local.Port};branch={SipIds.NewBranch()};rport");
            request.Headers.AddFirst(HeaderName.Via, text);
            via = request.TopVia!;
        }
        else if (string.IsNullOrEmpty(via.Branch))
        {
            via = via.Clone();   // the message's view is read-only
            via.Branch = SipIds.NewBranch();
            ViaFixup.ReplaceTop(request.Headers, via);
        }

        if (!request.Headers.Contains(HeaderName.MaxForwards))
        {
            request.Headers.Add(HeaderName.MaxForwards, "70");
        }

        return via.Branch!;
    }

    private void CopyViaFromInvite(SipRequest cancel)
    {
        foreach (var client in _clients.Values)
        {
            if (client.IsInvite && client.Request.CallId == cancel.CallId && client.Request.CSeq.Number == cancel.CSeq.Number)
            {
                var vias = client.Request.Headers.GetAll(HeaderName.Via);
                if (vias.Count > 0)
                {
                    cancel.Headers.AddFirst(HeaderName.Via, vias[0]);
                }

                return;
            }
        }
    }

    internal void RegisterAccepted(ServerTransaction transaction)
    {
        if (AckKey.TryCreate(transaction.Request, out var key))
        {
            _accepted[key] = transaction;
        }
    }

    internal void Remove(ServerTransaction transaction)
    {
        _servers.TryRemove(new KeyValuePair<TransactionKey, ServerTransaction>(transaction.Key, transaction));
        if (transaction.IsInvite && AckKey.TryCreate(transaction.Request, out var key))
        {
            _accepted.TryRemove(new KeyValuePair<AckKey, ServerTransaction>(key, transaction));
        }
    }

    /// <summary>
    /// The transaction's work is done and only its last timer remains (Timer L after an acknowledged 2xx, Timer J after
    /// a non-INVITE final): from now on a compact entry answers retransmissions, and the transaction itself leaves the
    /// tables, so nothing here keeps it (or its transaction user) alive.
    /// </summary>
    internal void BeginLinger(ServerTransaction transaction, TimeSpan remaining, SipResponse? resend)
    {
        var lingering = new LingeringServerTransaction(this, transaction, resend, transaction.ResponseDestination);
        _lingering[transaction.Key] = lingering; // before leaving _servers: a retransmission always finds one of them
        Remove(transaction);
        _lingerTimers.Add(lingering, remaining);
    }

    internal void EndLinger(LingeringServerTransaction lingering) =>
        _lingering.TryRemove(new KeyValuePair<TransactionKey, LingeringServerTransaction>(lingering.Key, lingering));

    internal void Remove(ClientTransaction transaction) =>
        _clients.TryRemove(new KeyValuePair<TransactionKey, ClientTransaction>(transaction.Key, transaction));

    internal async ValueTask<bool> SendSafeAsync(SipMessage message, SipEndPoint destination)
    {
        try
        {
            return await Transport.SendAsync(message, destination).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Logger.LogWarning(ex, "Transport threw sending to {Destination}", destination);
            return false;
        }
    }

    internal void Raise<T>(Action<T>? handler, T arg, string name)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(arg);
        }
        catch (Exception ex)
        {
            Logger.LogError(ex, "{Event} handler failed", name);
        }
    }
}
