using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// Matches an ACK for a 2xx (a new transaction with its own branch, RFC 3261 §13.2.2.4) to the INVITE server
/// transaction in the Accepted state (RFC 6026 §8.7): Call-ID, CSeq number and From tag.
/// </summary>
internal readonly record struct AckKey(string CallId, uint CSeqNumber, string FromTag)
{
    public static bool TryCreate(SipRequest request, out AckKey key)
    {
        var callId = request.CallId;
        if (callId is null)
        {
            key = default;
            return false;
        }

        key = new AckKey(callId, request.CSeq.Number, request.From?.Tag ?? "");
        return true;
    }
}
