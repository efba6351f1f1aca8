using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// A client transaction: RFC 3261 §17.1.1 (INVITE: Calling, Proceeding, Completed, with RFC 6026 §7.2 Accepted;
/// timers A, B, D, M) and §17.1.2 (non-INVITE: Trying, Proceeding, Completed; timers E, F, K). Retransmissions
/// (A, E) only on UDP. Non-2xx finals to INVITE are ACKed here (§17.1.1.3); 2xx are ACKed by the TU.
/// <para>
/// <see cref="ResponseReceived"/> gets every provisional and final response the state machine accepts. For
/// INVITE in Accepted (64*T1 after the first 2xx) every 2xx is raised, retransmissions and other forks included,
/// so the TU can ACK each; after that, 2xx go to <see cref="ISipTransactionUser.OnStrayResponseAsync"/>.
/// Retransmitted non-2xx finals are absorbed (the ACK is resent).
/// </para>
/// Thread-safety: one lock per transaction; sends and events happen outside it.
/// </summary>
public sealed partial class ClientTransaction
{
    private readonly SipTransactionLayer _layer;
    private readonly object _gate = new();
    private readonly TransactionTimer _retransmit; // A or E
    private readonly TransactionTimer _timeout;    // B or F
    private readonly TransactionTimer _linger;     // D, K or M
    private readonly TaskCompletionSource<SipResponse> _final =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<SipResponse?>? _cancel;
    private bool _cancelPending;
    private bool _cancelSent;
    private SipRequest? _ack;

    internal ClientTransaction(SipTransactionLayer layer, SipRequest request, SipEndPoint destination, TransactionKey key)
    {
        _layer = layer;
        Request = request;
        Destination = destination;
        Key = key;
        IsInvite = request.Method == SipMethod.Invite;
        State = IsInvite ? TransactionState.Calling : TransactionState.Trying;
        _retransmit = new TransactionTimer(layer.Time);
        _timeout = new TransactionTimer(layer.Time);
        _linger = new TransactionTimer(layer.Time);
    }

    /// <summary>The request sent (with its Via and branch filled in by the layer).</summary>
    public SipRequest Request { get; }

    /// <summary>Where it is sent.</summary>
    public SipEndPoint Destination { get; }

    /// <summary>Current state.</summary>
    public TransactionState State { get; private set; }

    /// <summary>True for an INVITE client transaction.</summary>
    public bool IsInvite { get; }

    /// <summary>Every response accepted by the state machine (see the type's remarks).</summary>
    public event Action<ClientTransaction, SipResponse>? ResponseReceived;

    /// <summary>Raised once when the transaction reaches Terminated.</summary>
    public event Action<ClientTransaction>? Terminated;

    /// <summary>
    /// The first final response; a locally built 408 when timer B/F fires, a locally built 503 when the
    /// transport fails. Never faults.
    /// </summary>
    public Task<SipResponse> FinalResponse => _final.Task;

    internal TransactionKey Key { get; }

    private bool Reliable => Destination.IsReliable;

    /// <summary>
    /// RFC 3261 §9.1: sends a CANCEL (same Request-URI, Call-ID, From, To, CSeq number, top Via and Route as the
    /// INVITE) once a provisional response has arrived, waiting for one if needed. Gives up, returning null,
    /// if a final response or a timeout comes first, or for non-INVITE. Otherwise returns the CANCEL's own
    /// final response (200, 481, or a local 408/503). Calling it again returns the same task.
    /// </summary>
    public Task<SipResponse?> CancelAsync()
    {
        if (!IsInvite)
        {
            return Task.FromResult<SipResponse?>(null);
        }

        TaskCompletionSource<SipResponse?> cancel;
        lock (_gate)
        {
            if (_cancel is not null)
            {
                return _cancel.Task;
            }

            cancel = _cancel = new TaskCompletionSource<SipResponse?>(TaskCreationOptions.RunContinuationsAsynchronously);
            switch (State)
            {
                case TransactionState.Calling:
                    _cancelPending = true;
                    return cancel.Task;
                case TransactionState.Proceeding:
                    break;
                default:
                    cancel.TrySetResult(null);
                    return cancel.Task;
            }
        }

        SendCancel(cancel);
        return cancel.Task;
    }

    internal void Start()
    {
        lock (_gate)
        {
            if (!Reliable)
            {
                _retransmit.Start(IsInvite ? _layer.Timers.A : _layer.Timers.E, OnRetransmitTimer);
            }

            _timeout.Start(IsInvite ? _layer.Timers.B : _layer.Timers.F, OnTimeoutTimer);
        }

        _ = SendRequestAsync();
    }

    /// <summary>Takes a response matched to this transaction; false for one it does not own: a 2xx to an INVITE that
    /// already completed with a non-2xx final (a phone answering 200 after its own 487 to our CANCEL), which the caller
    /// hands to the TU as stray so it is ACKed and its dialog ended with BYE (RFC 3261 §15, §9.1).</summary>
    internal bool OnResponse(SipResponse response)
    {
        var code = response.StatusCode;
        bool raise = false, isFinal = false, sendCancel = false, giveUpCancel = false, terminate = false, owned = true;
        SipRequest? ack = null;
        TaskCompletionSource<SipResponse?>? cancel;
        lock (_gate)
        {
            cancel = _cancel;
            switch (State)
            {
                case TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding:
                    raise = true;
                    if (code < 200)
                    {
                        if (IsInvite)
                        {
                            // §17.1.1.2: no more retransmissions; timer B only guards Calling.
                            _retransmit.Stop();
                            _timeout.Stop();
                            sendCancel = _cancelPending;
                            _cancelPending = false;
                        }

                        // Non-INVITE: timer E keeps running, at T2 from its next firing (§17.1.2.2).
                        State = TransactionState.Proceeding;
                        break;
                    }

                    isFinal = true;
                    _retransmit.Stop();
                    _timeout.Stop();
                    giveUpCancel = _cancelPending; // a final came before the CANCEL could be sent (§9.1)
                    _cancelPending = false;
                    if (IsInvite && code < 300)
                    {
                        State = TransactionState.Accepted;
                        _linger.Start(_layer.Timers.M, OnLingerTimer);
                    }
                    else
                    {
                        State = TransactionState.Completed;
                        if (IsInvite)
                        {
                            ack = _ack = BuildAck(response);
                        }

                        var linger = IsInvite ? _layer.Timers.TimerD(Reliable) : _layer.Timers.TimerK(Reliable);
                        if (linger == TimeSpan.Zero)
                        {
                            terminate = true;
                        }
                        else
                        {
                            _linger.Start(linger, OnLingerTimer);
                        }
                    }

                    break;
                case TransactionState.Accepted:
                    // RFC 6026 §7.2: 2xx retransmissions and forks go to the TU, which ACKs each.
                    raise = code >= 200 && code < 300;
                    break;
                case TransactionState.Completed:
                    // §17.1.1.2: a retransmitted final response is answered with the ACK again. A 2xx is not one: its
                    // ACK is end-to-end, sent by the TU (which also ends the dialog the phone opened).
                    ack = IsInvite && code >= 300 ? _ack : null;
                    owned = !(IsInvite && code is >= 200 and < 300);
                    break;
                default:
                    break;
            }
        }

        if (raise)
        {
            RaiseResponse(response);
        }

        if (isFinal)
        {
            if (!IsInvite || code >= 300)
            {
                // Completed: what follows (retransmitted finals) is absorbed here, never raised; let go of the TU.
                ResponseReceived = null;
            }

            _final.TrySetResult(response);
        }

        if (ack is not null)
        {
            _ = SendAckAsync(ack);
        }

        if (sendCancel && cancel is not null)
        {
            SendCancel(cancel);
        }
        else if (giveUpCancel)
        {
            cancel?.TrySetResult(null);
        }

        if (terminate)
        {
            Terminate();
        }

        return owned;
    }

    private void SendCancel(TaskCompletionSource<SipResponse?> cancel)
    {
        lock (_gate)
        {
            if (_cancelSent)
            {
                return;
            }

            _cancelSent = true;
        }

        var request = BuildCancel();
        var transaction = _layer.SendRequest(request, Destination);
        _ = CompleteCancelAsync(transaction, cancel);
    }

    private static async Task CompleteCancelAsync(ClientTransaction transaction, TaskCompletionSource<SipResponse?> cancel)
    {
        var response = await transaction.FinalResponse.ConfigureAwait(false);
        cancel.TrySetResult(response);
    }

    private void OnRetransmitTimer(long version)
    {
        lock (_gate)
        {
            if (!_retransmit.IsCurrent(version))
            {
                return;
            }

            TimeSpan next;
            if (IsInvite)
            {
                if (State != TransactionState.Calling)
                {
                    return;
                }

                next = SipTimers.NextA(_retransmit.Interval);
            }
            else if (State == TransactionState.Trying)
            {
                next = _layer.Timers.NextCapped(_retransmit.Interval);
            }
            else if (State == TransactionState.Proceeding)
            {
                next = _layer.Timers.T2;
            }
            else
            {
                return;
            }

            _retransmit.Start(next, OnRetransmitTimer);
        }

        _ = SendRequestAsync();
    }

    private void OnTimeoutTimer(long version)
    {
        lock (_gate)
        {
            if (!_timeout.IsCurrent(version) ||
                State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }
        }

        _layer.Logger.LogInformation("{Method} {CallId} to {Destination}: no final response (timer {Timer})",
            Request.Method, Request.CallId, Destination, IsInvite ? "B" : "F");
        Fail(408);
    }

    private void OnLingerTimer(long version)
    {
        lock (_gate)
        {
            if (!_linger.IsCurrent(version))
            {
                return;
            }
        }

        Terminate();
    }

    /// <summary>Timeout or transport error: local final response, then Terminated (§17.1.1.2, §17.1.4).</summary>
    private void Fail(int statusCode)
    {
        lock (_gate)
        {
            if (State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding))
            {
                return;
            }
        }

        Terminate();
        _final.TrySetResult(SipResponse.CreateFor(Request, statusCode));
    }

    internal void Terminate()
    {
        TaskCompletionSource<SipResponse?>? cancel;
        lock (_gate)
        {
            if (State == TransactionState.Terminated)
            {
                return;
            }

            State = TransactionState.Terminated;
            _retransmit.Stop();
            _timeout.Stop();
            _linger.Stop();
            cancel = _cancelSent ? null : _cancel;
        }

        cancel?.TrySetResult(null);
        _layer.Remove(this);
        _layer.Raise(Terminated, this, nameof(Terminated));
        Terminated = null;
        ResponseReceived = null;
    }

    /// <summary>Layer shutdown: ends the transaction and completes <see cref="FinalResponse"/> with 503 if open.</summary>
    internal void Abort()
    {
        Terminate();
        _final.TrySetResult(SipResponse.CreateFor(Request, 503));
    }

    private async Task SendRequestAsync()
    {
        if (!await _layer.SendSafeAsync(Request, Destination).ConfigureAwait(false))
        {
            _layer.Logger.LogWarning("Transport failed sending {Method} to {Destination}", Request.Method, Destination);
            Fail(503);
        }
    }

    private async Task SendAckAsync(SipRequest ack)
    {
        if (!await _layer.SendSafeAsync(ack, Destination).ConfigureAwait(false))
        {
            _layer.Logger.LogWarning("Transport failed sending ACK to {Destination}", Destination);
        }
    }

    private void RaiseResponse(SipResponse response)
    {
        var handler = ResponseReceived;
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(this, response);
        }
        catch (Exception ex)
        {
            _layer.Logger.LogError(ex, "ResponseReceived handler failed for {Method} {CallId}", Request.Method,
                Request.CallId);
        }
    }
}
