using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Transactions;

/// <summary>Requests the client transaction builds itself: ACK for non-2xx (RFC 3261 §17.1.1.3) and CANCEL (§9.1).</summary>
public sealed partial class ClientTransaction
{
    /// <summary>§17.1.1.3: ACK for a non-2xx final, within this transaction.</summary>
    private SipRequest BuildAck(SipResponse response)
    {
        var ack = new SipRequest(SipMethod.Ack, Request.RequestUri.Clone());
        CopyCommon(ack, SipMethod.Ack, response.Headers.Get(HeaderName.To) ?? Request.Headers.Get(HeaderName.To));
        return ack;
    }

    /// <summary>§9.1: CANCEL with the INVITE's branch.</summary>
    private SipRequest BuildCancel()
    {
        var cancel = new SipRequest(SipMethod.Cancel, Request.RequestUri.Clone());
        CopyCommon(cancel, SipMethod.Cancel, Request.Headers.Get(HeaderName.To));
        return cancel;
    }

    private void CopyCommon(SipRequest target, string method, string? to)
    {
        var vias = Request.Headers.GetAll(HeaderName.Via);
        if (vias.Count > 0)
        {
            target.Headers.Add(HeaderName.Via, vias[0]);
        }

        target.Headers.Add(HeaderName.MaxForwards, "70");
        CopyHeader(target, HeaderName.From, Request.Headers.Get(HeaderName.From));
        CopyHeader(target, HeaderName.To, to);
        CopyHeader(target, HeaderName.CallId, Request.CallId);
        target.Headers.Add(HeaderName.CSeq, new CSeq(Request.CSeq.Number, method).ToString());
        foreach (var route in Request.Headers.GetAll(HeaderName.Route))
        {
            target.Headers.Add(HeaderName.Route, route);
        }
    }

    private static void CopyHeader(SipRequest target, string name, string? value)
    {
        if (value is not null)
        {
            target.Headers.Add(name, value);
        }
    }
}
