using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// What is left of a server transaction whose work is done while it waits out its last timer: an INVITE whose 2xx was
/// acknowledged (RFC 6026 §7.1: Accepted until Timer L, absorbing retransmitted INVITEs) or a non-INVITE that sent its
/// final response (RFC 3261 §17.2.2: Completed until Timer J, answering retransmissions with that response). It holds
/// the key, the response to repeat and a weak reference to the transaction, so a finished call, its messages and its
/// media are not kept alive by the transaction table and its timers for another 32 s; if the transaction user still
/// holds the transaction, it is terminated (and raises Terminated) when the timer fires, as before.
/// </summary>
internal sealed class LingeringServerTransaction : IExpiring
{
    private readonly SipTransactionLayer _layer;
    private readonly WeakReference<ServerTransaction> _transaction;
    private int _expired;

    public LingeringServerTransaction(SipTransactionLayer layer, ServerTransaction transaction, SipResponse? resend,
        SipEndPoint destination)
    {
        _layer = layer;
        _transaction = new WeakReference<ServerTransaction>(transaction);
        Key = transaction.Key;
        IsInvite = transaction.IsInvite;
        ToTag = transaction.ToTag;
        Resend = resend;
        Destination = destination;
    }

    public TransactionKey Key { get; }
    public bool IsInvite { get; }

    /// <summary>The To tag of the transaction's responses (a CANCEL arriving now is answered 200 with it, §9.2).</summary>
    public string ToTag { get; }

    /// <summary>The final response to send again for each retransmitted request (non-INVITE), or null (absorb).</summary>
    public SipResponse? Resend { get; }

    public SipEndPoint Destination { get; }

    /// <summary>The last timer fired (<see cref="LingerQueue"/>) or the layer shuts down: leave the table; terminate the
    /// transaction if held. Once.</summary>
    public void Expire()
    {
        if (Interlocked.Exchange(ref _expired, 1) != 0)
        {
            return;
        }

        _layer.EndLinger(this);
        if (_transaction.TryGetTarget(out var transaction))
        {
            transaction.Terminate();
        }
    }
}
