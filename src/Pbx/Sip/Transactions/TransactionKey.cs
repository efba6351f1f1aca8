using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// Transaction identity. Server side (RFC 3261 §17.2.3): branch + sent-by + method, ACK mapped to INVITE.
/// Client side (§17.1.3): branch + CSeq method (sent-by is ours and left empty).
/// A branch without the "z9hG4bK" magic cookie (RFC 2543 peer) gets a synthetic branch built from Call-ID,
/// CSeq number, From tag and Request-URI, which is what §17.2.3 compares for such requests (the To tag is
/// left out, so an ACK for a 2xx from such a peer also matches the INVITE transaction; it is then handled as an
/// ACK in the Accepted state and still reaches the TU).
/// </summary>
internal readonly record struct TransactionKey(string Branch, string SentBy, string Method)
{
    public const string MagicCookie = "z9hG4bK";

    public static bool TryForServer(SipRequest request, out TransactionKey key)
    {
        key = default;
        var via = request.TopVia;
        if (via is null)
        {
            return false;
        }

        var method = request.Method == SipMethod.Ack ? SipMethod.Invite : request.Method;
        var sentBy = via.Host.ToLowerInvariant() + ":" + (via.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        var branch = via.Branch;
        if (branch is null || !branch.StartsWith(MagicCookie, StringComparison.Ordinal))
        {
            branch = "rfc2543|" + request.CallId + "|" + request.CSeq.Number.ToString(System.Globalization.CultureInfo.InvariantCulture)
                + "|" + request.From?.Tag + "|" + request.RequestUri;
        }

        key = new TransactionKey(branch, sentBy, method);
        return true;
    }

    public static bool TryForClient(SipResponse response, out TransactionKey key)
    {
        var branch = response.TopVia?.Branch;
        var method = response.CSeq.Method;
        if (branch is null || string.IsNullOrEmpty(method))
        {
            key = default;
            return false;
        }

        key = ForClient(branch, method);
        return true;
    }

    public static TransactionKey ForClient(string branch, string method) => new(branch, "", method);
}
