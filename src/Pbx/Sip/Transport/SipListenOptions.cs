using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace Telephony.Pbx.Sip.Transport;

/// <summary>
/// One listener for <see cref="SipTransportLayer"/>: protocol and local endpoint (port 0 picks a free port), and for
/// <see cref="SipProtocol.Tls"/> the server certificate with its private key (RFC 3261 §26.2.1).
/// </summary>
public sealed record SipListenOptions(SipProtocol Protocol, IPEndPoint EndPoint, X509Certificate2? Certificate = null);
