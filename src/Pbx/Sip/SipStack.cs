using System.Globalization;
using System.Net;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Sip;

/// <summary>
/// What the call and registrar layers need from the SIP stack: the transaction layer, our addresses for Via and
/// Contact, and builders that put the same identity headers on everything we send.
/// </summary>
public sealed class SipStack(ISipTransport transport, SipTransactionLayer transactions,
    LocalAddressResolver addresses, string userAgent)
{
    public const string AllowedMethods = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, INFO, UPDATE, REFER, NOTIFY";

    public ISipTransport Transport { get; } = transport;
    public SipTransactionLayer Transactions { get; } = transactions;
    public LocalAddressResolver Addresses { get; } = addresses;
    public string UserAgent { get; } = userAgent;

    /// <summary>Our address and port, as the peer at <paramref name="remote"/> should see them.</summary>
    public (string Host, int Port) LocalFor(SipEndPoint remote)
    {
        var ip = Addresses.For(remote.EndPoint.Address);
        var port = Transport.GetLocalEndPoint(remote.Protocol).EndPoint.Port;
        return (FormatHost(ip), port);
    }

    public string ContactFor(SipEndPoint remote, string? user = null, bool secure = false)
    {
        var (host, port) = LocalFor(remote);
        var userPart = user is null ? "" : user + "@";
        if (secure && remote.Protocol == SipProtocol.Tls)
        {
            // RFC 3261 §12.1.1: a dialog whose request had a sips: Request-URI gets a sips: Contact (TLS implied).
            return string.Create(CultureInfo.InvariantCulture, $"<sips:{userPart}{host}:{port}>");
        }
        var transportParam = SipTransportNames.UriParameter(remote.Protocol) is { } name ? ";transport=" + name : "";
        return string.Create(CultureInfo.InvariantCulture, $"<sip:{userPart}{host}:{port}{transportParam}>");
    }

    /// <summary>Puts our own top Via (with a fresh branch and rport) on a request we originate.</summary>
    public void AddVia(SipRequest request, SipEndPoint destination, string? branch = null)
    {
        var (host, port) = LocalFor(destination);
        var proto = SipTransportNames.ViaToken(destination.Protocol);
        request.Headers.AddFirst(HeaderName.Via,
            string.Create(CultureInfo.InvariantCulture, $"SIP/2.0/{proto} {host}:{port};branch={branch ?? SipIds.NewBranch()};rport"));
    }

    public SipResponse CreateResponse(SipRequest request, int status, string? reason = null, string? toTag = null)
    {
        var response = SipResponse.CreateFor(request, status, reason, toTag);
        response.Headers.Add(HeaderName.Server, UserAgent);
        return response;
    }

    /// <summary>Sends a request outside any transaction-owning object and returns its client transaction.</summary>
    public ClientTransaction Send(SipRequest request, SipEndPoint destination,
        Action<ClientTransaction, SipResponse>? onResponse = null)
    {
        if (request.TopVia is null)
        {
            AddVia(request, destination);
        }
        if (!request.Headers.Contains(HeaderName.UserAgent))
        {
            request.Headers.Add(HeaderName.UserAgent, UserAgent);
        }
        return Transactions.SendRequest(request, destination, onResponse);
    }

    public ValueTask<bool> SendAckAsync(SipRequest ack, SipEndPoint destination)
    {
        if (ack.TopVia is null)
        {
            AddVia(ack, destination);
        }
        return Transactions.SendStatelessAsync(ack, destination);
    }

    public static string FormatHost(IPAddress ip) =>
        ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{ip}]" : ip.ToString();
}
