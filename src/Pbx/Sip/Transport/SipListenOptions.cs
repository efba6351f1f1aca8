using System.Net;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>One listener for <see cref="SipTransportLayer"/>: protocol and local endpoint (port 0 picks a free port).</summary>
public sealed record SipListenOptions(SipProtocol Protocol, IPEndPoint EndPoint);
