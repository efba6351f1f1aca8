using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// A server transaction: RFC 3261 §17.2.1 (INVITE: Proceeding, Completed, Confirmed, with RFC 6026 §7.1
/// Accepted) and §17.2.2 (non-INVITE: Trying, Proceeding, Completed). Timers G, H, I, J and L run on the
/// layer's <see cref="TimeProvider"/>; G and 2xx retransmission only on UDP, and I/J are zero on TCP.
/// Thread-safety: one lock per transaction guards state and timers; events are raised and responses sent after the
/// lock is released, so handlers may call back into the transaction. The exception is a provisional response sent by
/// the transaction itself (the 100 Trying of its timer, a provisional answering a retransmitted request): its send
/// starts under the lock, so a final response decided after it cannot reach the wire first.
/// </summary>
public sealed partial class ServerTransaction
{
    private readonly SipTransactionLayer _layer;
    private readonly object _gate = new();
    private readonly TransactionTimer _trying;   // 100 Trying after 200 ms (INVITE), or at once from a proxy
    private readonly TransactionTimer _retransmit; // G, or 2xx retransmission in Accepted
    private readonly TransactionTimer _timeout;  // H (Completed) or L (Accepted)
    private readonly TransactionTimer _linger;   // I (Confirmed) or J (non-INVITE Completed)
    private readonly SipEndPoint _responseDestination;
    private SipResponse? _lastResponse;
    private string? _toTag;
    private bool _acked;
    private bool _cancelled;
    private long _acceptedAt;

    internal ServerTransaction(SipTransactionLayer layer, SipRequest request, TransactionKey key, SipEndPoint remote,
        SipEndPoint local)
    {
        _layer = layer;
        Request = request;
        Key = key;
        Remote = remote;
        Local = local;
        IsInvite = request.Method == SipMethod.Invite;
        State = IsInvite ? TransactionState.Proceeding : TransactionState.Trying;
        _trying = new TransactionTimer(layer.Time);
        _retransmit = new TransactionTimer(layer.Time);
        _timeout = new TransactionTimer(layer.Time);
        _linger = new TransactionTimer(layer.Time);
        _responseDestination = layer.Transport.ResponseDestination(request, remote);
    }

    /// <summary>The request that created the transaction.</summary>
    public SipRequest Request { get; }

    /// <summary>Where the request came from.</summary>
    public SipEndPoint Remote { get; }

    /// <summary>The local endpoint that received it.</summary>
    public SipEndPoint Local { get; }

    /// <summary>Current state.</summary>
    public TransactionState State { get; private set; }

    /// <summary>True for an INVITE server transaction.</summary>
    public bool IsInvite { get; }

    /// <summary>True once a CANCEL matched this INVITE before its final response.</summary>
    public bool IsCancelled
    {
        get
        {
            lock (_gate)
            {
                return _cancelled;
            }
        }
    }

    /// <summary>
    /// The To tag of this transaction's responses: taken from the first response (other than 100) that carries
    /// one, else generated. Responses sent without a To tag get this one (RFC 3261 §8.2.6.2), so the 200 to a
    /// CANCEL and the later 487 carry the same tag (§9.2).
    /// </summary>
    public string ToTag
    {
        get
        {
            lock (_gate)
            {
                return _toTag ??= SipIds.NewTag();
            }
        }
    }

    /// <summary>INVITE only: a matching CANCEL arrived (already answered 200); the TU should send 487.</summary>
    public event Action<ServerTransaction>? Cancelled;

    /// <summary>
    /// INVITE only: no ACK arrived for the final response: timer H in Completed, or timer L in Accepted without
    /// any ACK for the 2xx.
    /// </summary>
    public event Action<ServerTransaction>? AckTimedOut;

    /// <summary>The transaction reached Terminated and left the transaction table.</summary>
    public event Action<ServerTransaction>? Terminated;

    internal TransactionKey Key { get; }

    /// <summary>Where this transaction's responses go (RFC 3261 §18.2.2).</summary>
    internal SipEndPoint ResponseDestination => _responseDestination;

    private bool Reliable => Remote.IsReliable;

    /// <summary>
    /// Sends a response (RFC 3261 §17.2.1/§17.2.2); request retransmissions are then answered with the last
    /// response. A 2xx to INVITE enters Accepted (RFC 6026): retransmitted on UDP from T1 doubling to T2 until
    /// the ACK arrives, for at most 64*T1. Responses that the state does not allow (e.g. after a final) are
    /// logged and dropped.
    /// </summary>
    public async ValueTask SendResponseAsync(SipResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var code = response.StatusCode;
        var terminate = false;
        TimeSpan? lingerFor = null;
        lock (_gate)
        {
            if (!Accepts(code))
            {
                _layer.Logger.LogDebug("Dropping {Status} for {Method} transaction in state {State}", code, Request.Method,
                    State);
                return;
            }

            ApplyToTag(response);
            _trying.Stop();
            _lastResponse = response;
            if (IsInvite)
            {
                if (code >= 200 && code < 300)
                {
                    if (State == TransactionState.Proceeding)
                    {
                        State = TransactionState.Accepted;
                        if (!Reliable)
                        {
                            _retransmit.Start(_layer.Timers.G, OnRetransmitTimer);
                        }

                        _timeout.Start(_layer.Timers.L, OnTimeoutTimer);
                        _acceptedAt = _layer.Time.GetTimestamp();
                        _layer.RegisterAccepted(this);
                    }
                }
                else if (code >= 300)
                {
                    State = TransactionState.Completed;
                    if (!Reliable)
                    {
                        _retransmit.Start(_layer.Timers.G, OnRetransmitTimer);
                    }

                    _timeout.Start(_layer.Timers.H, OnTimeoutTimer);
                }
            }
            else if (code < 200)
            {
                State = TransactionState.Proceeding;
            }
            else
            {
                State = TransactionState.Completed;
                if (Reliable)
                {
                    terminate = true;
                }
                else
                {
                    lingerFor = _layer.Timers.J;
                }
            }
        }

        if (code >= 200)
        {
            Cancelled = null; // a CANCEL after the final response no longer concerns the TU (§9.2)
        }

        if (lingerFor is { } j)
        {
            // Timer J: only retransmitted requests still need this transaction, and only its final response.
            _layer.BeginLinger(this, j, response);
        }

        await SendAsync(response).ConfigureAwait(false);
        if (terminate)
        {
            Terminate();
        }
    }

    private bool Accepts(int code)
    {
        if (code < 100 || code > 699)
        {
            return false;
        }

        return State switch
        {
            TransactionState.Trying or TransactionState.Proceeding => true,
            // RFC 6026 §7.1: further 2xx from the TU are passed to the transport in Accepted.
            TransactionState.Accepted => code >= 200 && code < 300,
            _ => false,
        };
    }

    private void ApplyToTag(SipResponse response)
    {
        if (response.StatusCode == 100)
        {
            return;
        }

        var to = response.To;
        if (to is null)
        {
            return;
        }

        if (to.Tag is { Length: > 0 } tag)
        {
            _toTag ??= tag;
            return;
        }

        to = to.Clone();   // the message's view is read-only
        to.Tag = _toTag ??= SipIds.NewTag();
        response.Headers.Set(HeaderName.To, to.ToString());
    }

    /// <summary>
    /// INVITE only: 100 Trying at once when <paramref name="tryingAtOnce"/> (the request came from a stateful proxy
    /// whose branch timer is short: Kamailio's fr_timer fails the branch over to another node unless a provisional
    /// response arrives in time), else after <see cref="SipTimers.TryingDelay"/> unless the TU answered first
    /// (RFC 3261 §17.2.1).
    /// </summary>
    internal Task Start(bool tryingAtOnce = false)
    {
        if (!IsInvite)
        {
            return Task.CompletedTask;
        }

        SipResponse? trying = null;
        lock (_gate)
        {
            if (State == TransactionState.Proceeding && _lastResponse is null)
            {
                if (tryingAtOnce)
                {
                    trying = _lastResponse = SipResponse.CreateFor(Request, 100);
                }
                else
                {
                    _trying.Start(_layer.Timers.TryingDelay, OnTryingTimer);
                }
            }
        }

        return trying is null ? Task.CompletedTask : SendAsync(trying);
    }

    /// <summary>A retransmission of the request: answer with the last response (RFC 3261 §17.2.1, §17.2.2).</summary>
    internal ValueTask OnRetransmissionAsync()
    {
        SipResponse? resend;
        lock (_gate)
        {
            switch (State)
            {
                case TransactionState.Proceeding when IsInvite && _lastResponse is null:
                    // No response yet: answer 100 Trying now rather than waiting for the 200 ms timer.
                    _trying.Stop();
                    _lastResponse = SipResponse.CreateFor(Request, 100);
                    return new ValueTask(SendProvisionalUnderGate(_lastResponse));
                case TransactionState.Proceeding:
                    return _lastResponse is null ? ValueTask.CompletedTask : new ValueTask(SendProvisionalUnderGate(_lastResponse));
                case TransactionState.Completed:
                    resend = _lastResponse;
                    break;
                default:
                    // Trying: absorbed. Accepted: absorbed, the 2xx retransmission timer covers it (RFC 6026 §7.1).
                    // Confirmed/Terminated: absorbed.
                    resend = null;
                    break;
            }
        }

        return resend is null ? ValueTask.CompletedTask : new ValueTask(SendAsync(resend));
    }

    /// <summary>ACK matched to this INVITE transaction. Returns true when it acknowledges a 2xx (goes to the TU).</summary>
    internal bool OnAck()
    {
        var terminate = false;
        TimeSpan? lingerFor = null;
        lock (_gate)
        {
            switch (State)
            {
                case TransactionState.Completed:
                    State = TransactionState.Confirmed;
                    _retransmit.Stop();
                    _timeout.Stop();
                    AckTimedOut = null;
                    if (Reliable)
                    {
                        terminate = true;
                    }
                    else
                    {
                        _linger.Start(_layer.Timers.I, OnLingerTimer);
                    }

                    break;
                case TransactionState.Accepted:
                    lingerFor = Acknowledged();
                    break;
                default:
                    return false;
            }
        }

        if (lingerFor is { } remaining)
        {
            _layer.BeginLinger(this, remaining, resend: null);
            return true;
        }

        if (terminate)
        {
            Terminate();
        }

        return lingerFor is null && State == TransactionState.Accepted;
    }

    /// <summary>An ACK for the 2xx arrived with its own branch (matched by Call-ID, CSeq, From tag).</summary>
    internal void OnAckFor2xx()
    {
        TimeSpan? lingerFor = null;
        lock (_gate)
        {
            if (State == TransactionState.Accepted)
            {
                lingerFor = Acknowledged();
            }
        }

        if (lingerFor is { } remaining)
        {
            _layer.BeginLinger(this, remaining, resend: null);
        }
    }

    /// <summary>A matching CANCEL arrived and was answered 200 (RFC 3261 §9.2).</summary>
    internal void OnCancel()
    {
        lock (_gate)
        {
            if (!IsInvite || _cancelled || State != TransactionState.Proceeding)
            {
                return;
            }

            _cancelled = true;
        }

        _layer.Raise(Cancelled, this, nameof(Cancelled));
    }

    /// <summary>Enters Terminated, stops timers, leaves the table and raises <see cref="Terminated"/> once.</summary>
    internal void Terminate()
    {
        lock (_gate)
        {
            if (State == TransactionState.Terminated)
            {
                return;
            }

            State = TransactionState.Terminated;
            _trying.Stop();
            _retransmit.Stop();
            _timeout.Stop();
            _linger.Stop();
        }

        _layer.Remove(this);
        _layer.Raise(Terminated, this, nameof(Terminated));
        Terminated = null;
        Cancelled = null;
        AckTimedOut = null;
    }

    /// <summary>
    /// Under the lock: the ACK for our 2xx arrived. The transaction stays in Accepted until Timer L only to absorb
    /// INVITE retransmissions (RFC 6026 §7.1), which need neither the 2xx nor the TU: let go of both, and return how
    /// long Timer L still runs (null when this ACK is a retransmission), which the layer then waits out in a
    /// <see cref="LingeringServerTransaction"/>, so a finished call is not kept alive by its INVITE transaction.
    /// </summary>
    private TimeSpan? Acknowledged()
    {
        if (_acked)
        {
            return null;
        }

        _acked = true;
        _retransmit.Stop();
        _timeout.Stop();
        _lastResponse = null;
        AckTimedOut = null;
        Cancelled = null;
        var elapsed = _layer.Time.GetElapsedTime(_acceptedAt);
        return _layer.Timers.L - elapsed;
    }

    /// <summary>
    /// Sends a provisional response while the caller holds <see cref="_gate"/>: the send reaches the transport before
    /// the lock is released (a UDP datagram leaves synchronously), so a final response decided after it cannot overtake
    /// it. Sent outside the lock, the 100 of a timer or a retransmitted INVITE preempted between its decision and its
    /// send could follow the 200 on the wire, and a UA that already moved on aborts the call on it (SIPp: "unexpected
    /// message"; seen at 800 setups/s).
    /// </summary>
    private Task SendProvisionalUnderGate(SipResponse response)
    {
        Debug.Assert(Monitor.IsEntered(_gate));
        return SendAsync(response);
    }

    private async Task SendAsync(SipResponse response)
    {
        if (!await _layer.SendSafeAsync(response, _responseDestination).ConfigureAwait(false))
        {
            _layer.Logger.LogWarning("Transport failed sending {Status} for {Method} to {Destination}",
                response.StatusCode, Request.Method, _responseDestination);
        }
    }
}
