using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// What the transaction layer needs from the transport (RFC 3261 §18): send, choose where responses go,
/// and know the local endpoint for Via. Implemented by <see cref="SipTransportLayer"/> and by fakes in tests.
/// </summary>
public interface ISipMessageSender
{
    /// <summary>Sends one message; false when the transport failed (never throws for network errors).</summary>
    ValueTask<bool> SendAsync(SipMessage message, SipEndPoint remote, CancellationToken ct = default);

    /// <summary>Where responses to <paramref name="request"/> go (RFC 3261 §18.2.2, RFC 3581 §4).</summary>
    SipEndPoint ResponseDestination(SipRequest request, SipEndPoint receivedFrom);

    /// <summary>The local endpoint for <paramref name="protocol"/>, used for the sent-by of a new Via.</summary>
    SipEndPoint GetLocalEndPoint(SipProtocol protocol);
}
