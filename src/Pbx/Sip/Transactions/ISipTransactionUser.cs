using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// The transaction user (TU, RFC 3261 §5 and §17): what sits above the transaction layer and gets new requests, ACKs
/// for 2xx (§13.3.1.4, they belong to the dialog, not to a transaction) and responses no client transaction claims (2xx
/// retransmissions after Timer M, late fork answers). The registrar and the call layer behind the server's dispatcher.
/// Exceptions are logged by the transaction layer and never reach the transport.
/// </summary>
public interface ISipTransactionUser
{
    /// <summary>A new request (not a retransmission, not ACK, not CANCEL) with its server transaction.</summary>
    ValueTask OnRequestAsync(ServerTransaction transaction);

    /// <summary>An ACK for a 2xx (RFC 3261 §13.3.1.4).</summary>
    ValueTask OnAckAsync(SipRequest ack, SipEndPoint remote);

    /// <summary>A response that matches no client transaction.</summary>
    ValueTask OnStrayResponseAsync(SipResponse response, SipEndPoint remote);
}
