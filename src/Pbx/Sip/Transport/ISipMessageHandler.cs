using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// Receives every SIP message the transport layer parsed (RFC 3261 §18.2.1 for requests: after the Via fix-up), with
/// the peer's and our endpoint. The transaction layer is the usual handler; it is given to
/// <see cref="SipTransportLayer.StartAsync"/>. Exceptions are counted and logged by the transport.
/// </summary>
public interface ISipMessageHandler
{
    ValueTask OnMessageAsync(SipMessage message, SipEndPoint remote, SipEndPoint local);
}
