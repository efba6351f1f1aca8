using Org.BouncyCastle.Tls;

namespace Telephony.Pbx.WebRtc.Dtls;

/// <content>After the handshake: draining alerts and retransmissions on the thread pool, and ending.</content>
public sealed partial class DtlsAssociation
{
    private void ScheduleDrain()
    {
        if (Interlocked.CompareExchange(ref _draining, 1, 0) == 0)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Thread pool: lets BouncyCastle process whatever is queued (1 ms wait at most once the queue is empty).</summary>
    void IThreadPoolWorkItem.Execute()
    {
        while (true)
        {
            var dtls = _dtls;
            while (dtls is not null && _transport.Count > 0 && !_transport.IsClosed)
            {
                try
                {
                    // Returns application data (discarded: media is SRTP) or -1 once nothing more is queued.
                    dtls.Receive(_drainBuffer, 0, _drainBuffer.Length, 1);
                }
#pragma warning disable CA1031 // a drain failure ends the association and is reported through Closed
                catch (Exception e)
#pragma warning restore CA1031
                {
                    var (reason, message, alert) = Classify(e);
                    Finish(reason, message, alert, e);
                    _transport.Close();
                }
            }

            Volatile.Write(ref _draining, 0);
            if (_transport.Count == 0 || _transport.IsClosed || Interlocked.CompareExchange(ref _draining, 1, 0) != 0)
            {
                return;
            }
        }
    }

    /// <summary>Our transport was closed: by us, or by BouncyCastle on the peer's close_notify or a fatal alert.</summary>
    private void OnTransportClosed()
    {
        if (_disposing)
        {
            Finish(DtlsFailureReason.LocallyClosed, "Closed locally.", null);
        }
        else if (_setup.AlertReceived is { } alert)
        {
            Finish(DtlsFailureReason.PeerAlert, $"The peer sent fatal alert {AlertDescription.GetText((short)alert)}.",
                alert);
        }
        else if (State == DtlsAssociationState.Connected)
        {
            Finish(DtlsFailureReason.PeerClosed, "The peer sent close_notify.", null);
        }

        // During the handshake BouncyCastle also closes the transport when it fails; RunHandshake reports that.
    }

    /// <summary>Completes the tasks once, with the first reason.</summary>
    private void Finish(DtlsFailureReason reason, string message, int? alert, Exception? cause = null)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state is (int)DtlsAssociationState.Failed or (int)DtlsAssociationState.Closed)
            {
                return;
            }

            var next = state == (int)DtlsAssociationState.Connected
                ? DtlsAssociationState.Closed
                : DtlsAssociationState.Failed;
            if (Interlocked.CompareExchange(ref _state, (int)next, state) == state)
            {
                break;
            }
        }

        FailureReason = reason;
        _handshake.TrySetException(new DtlsHandshakeException(reason, message, alert, cause));
        _closed.TrySetResult(reason);
    }

    /// <summary>Maps what BouncyCastle threw to a reason, preferring what our peer classes recorded.</summary>
    private (DtlsFailureReason Reason, string Message, int? Alert) Classify(Exception e)
    {
        if (_setup.Failure != DtlsFailureReason.None)
        {
            var sent = e is TlsFatalAlert fatal ? fatal.AlertDescription : (int?)null;
            return (_setup.Failure, _setup.FailureMessage ?? _setup.Failure.ToString(), sent);
        }

        if (_disposing)
        {
            return (DtlsFailureReason.LocallyClosed, "Closed locally.", null);
        }

        return e switch
        {
            TlsFatalAlertReceived received => (DtlsFailureReason.PeerAlert,
                $"The peer sent fatal alert {AlertDescription.GetText(received.AlertDescription)}.",
                received.AlertDescription),
            TlsTimeoutException => (DtlsFailureReason.Timeout,
                $"No DTLS handshake within {_setup.Options.HandshakeTimeout.TotalSeconds:0.###} s.", null),
            TlsFatalAlert fatal when _setup.AlertReceived is { } alert => (DtlsFailureReason.PeerAlert,
                $"The peer sent fatal alert {AlertDescription.GetText((short)alert)}.", alert),
            TlsFatalAlert fatal => (DtlsFailureReason.ProtocolError,
                $"DTLS failed with alert {AlertDescription.GetText(fatal.AlertDescription)}: {fatal.Message}",
                fatal.AlertDescription),
            _ when _setup.AlertReceived is { } alert => (DtlsFailureReason.PeerAlert,
                $"The peer sent fatal alert {AlertDescription.GetText((short)alert)}.", alert),
            _ when _transport.IsClosed && State == DtlsAssociationState.Handshaking => (DtlsFailureReason.PeerClosed,
                "The peer closed the association during the handshake.", null),
            _ => (DtlsFailureReason.ProtocolError, e.Message, null),
        };
    }
}
