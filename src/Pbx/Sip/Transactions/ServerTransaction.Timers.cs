using Microsoft.Extensions.Logging;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>Timer callbacks of the server transaction: 100 Trying, G / 2xx retransmission, H / L, I / J.</summary>
public sealed partial class ServerTransaction
{
    private void OnTryingTimer(long version)
    {
        lock (_gate)
        {
            if (!_trying.IsCurrent(version))
            {
                return;
            }

            _trying.Stop();
            if (State != TransactionState.Proceeding || _lastResponse is not null)
            {
                return;
            }

            var trying = SipResponse.CreateFor(Request, 100);
            _lastResponse = trying;
            _ = SendProvisionalUnderGate(trying);
        }
    }

    private void OnRetransmitTimer(long version)
    {
        SipResponse? resend;
        lock (_gate)
        {
            if (!_retransmit.IsCurrent(version) ||
                State is not (TransactionState.Completed or TransactionState.Accepted) || _acked)
            {
                return;
            }

            _retransmit.Start(_layer.Timers.NextCapped(_retransmit.Interval), OnRetransmitTimer);
            resend = _lastResponse;
        }

        if (resend is not null)
        {
            _ = SendAsync(resend);
        }
    }

    private void OnTimeoutTimer(long version)
    {
        bool timedOut;
        lock (_gate)
        {
            if (!_timeout.IsCurrent(version))
            {
                return;
            }

            // Timer H in Completed: no ACK. Timer L in Accepted: done; a timeout only if no ACK came.
            timedOut = State == TransactionState.Completed || (State == TransactionState.Accepted && !_acked);
        }

        if (timedOut)
        {
            _layer.Logger.LogInformation("No ACK for {Method} {CallId} within 64*T1", Request.Method, Request.CallId);
            _layer.Raise(AckTimedOut, this, nameof(AckTimedOut));
        }

        Terminate();
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
}
