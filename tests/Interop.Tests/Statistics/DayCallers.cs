using System.Collections.Concurrent;
using System.Globalization;
using System.Net;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>
/// The day's callers over one raw UDP socket on the trunk address (no digest): each scripted call INVITEs its queue's DID
/// at its time, ACKs the IVR's 200 (the queue visit starts there: the flow's first node is the queue), and an abandoning
/// caller sends BYE its abandon time later. A BYE from the server (the agent hung up) is answered 200.
/// </summary>
internal sealed class DayCallers(RawSipClient client, ConcurrentDictionary<int, DayCallLog> log, IPEndPoint media) : DayPhone(client)
{
    private readonly Dictionary<string, (DayCall Call, string Tag, string? To, string? Target, int CSeq)> _calls = [];

    /// <summary>Schedules every call of the day from <paramref name="dayStart"/>; call before <see cref="DayPhone.Start"/>.</summary>
    public void Schedule(DateTimeOffset dayStart)
    {
        foreach (DayCall call in CompressedDay.WarmUp)
        {
            At(dayStart.AddSeconds(call.AtSeconds - CompressedDay.WarmUpSeconds), () => InviteAsync(call));
        }
        foreach (DayCall call in CompressedDay.Calls)
        {
            At(dayStart.AddSeconds(call.AtSeconds), () => InviteAsync(call));
        }
    }

    private async Task InviteAsync(DayCall call)
    {
        string callId = $"day-{call.Index}-{RawSipClient.NewToken()}";
        string tag = RawSipClient.NewToken();
        _calls[callId] = (call, tag, null, null, 1);
        string did = call.Queue == "support" ? CompressedDay.SupportDid : CompressedDay.SalesDid;
        string uri = $"sip:{did}@{Client.Server.Address}:{Client.Server.Port}";
        string sdp = RawCall.Sdp(media);
        await Client.SendAsync(
            $"INVITE {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {Client.Local.Address}:{Client.Local.Port};branch={RawSipClient.NewBranch()};rport\r\n" +
            $"Max-Forwards: 70\r\nFrom: <sip:{call.Number}@{Client.Local.Address}>;tag={tag}\r\nTo: <{uri}>\r\nCall-ID: {callId}\r\n" +
            $"CSeq: 1 INVITE\r\nContact: <sip:{call.Number}@{Client.Local.Address}:{Client.Local.Port}>\r\n" +
            $"Content-Type: application/sdp\r\nContent-Length: {sdp.Length}\r\n\r\n{sdp}");
    }

    protected override async Task OnMessageAsync(string message)
    {
        string callId = SipText.Header(message, "Call-ID")!;
        if (!_calls.TryGetValue(callId, out var c))
        {
            return;
        }
        int status = SipText.StatusCode(message);
        if (status == 0)
        {
            if (Method(message) == "BYE")
            {
                log.GetOrAdd(c.Call.Index, _ => new DayCallLog()).ServerByeAt ??= Now;
            }
            if (Method(message) != "ACK")
            {
                await Client.SendAsync(Response(message, 200, "OK", null));
            }
            return;
        }
        if (!SipText.Header(message, "CSeq")!.EndsWith("INVITE", StringComparison.Ordinal) || status < 200)
        {
            return;
        }
        string to = SipText.Header(message, "To")!;
        string target = status < 300 ? Uri(SipText.Header(message, "Contact")!) : $"sip:{Client.Server.Address}:{Client.Server.Port}";
        await Client.SendAsync(Request("ACK", c.Call, callId, c.Tag, to, target, 1));
        if (c.To is not null)
        {
            return; // a retransmitted final answer: ACKed again
        }
        _calls[callId] = (c.Call, c.Tag, to, target, 1);
        DayCallLog entry = log.GetOrAdd(c.Call.Index, _ => new DayCallLog());
        if (status >= 300)
        {
            entry.FailedStatus = status;
            return;
        }
        DateTimeOffset entered = Now;
        entry.Entered = entered;
        if (c.Call.Plan == DayPlan.Abandons)
        {
            At(entered.AddSeconds(c.Call.AbandonSeconds), async () =>
            {
                if (entry.AnsweredAt is null && entry.ServerByeAt is null)
                {
                    entry.AbandonedAt = Now;
                    await Client.SendAsync(Request("BYE", c.Call, callId, c.Tag, to, target, 2));
                }
            });
        }
    }

    private string Request(string method, DayCall call, string callId, string tag, string to, string target, int cseq) =>
        $"{method} {target} SIP/2.0\r\nVia: SIP/2.0/UDP {Client.Local.Address}:{Client.Local.Port};branch={RawSipClient.NewBranch()};rport\r\n" +
        $"Max-Forwards: 70\r\nFrom: <sip:{call.Number}@{Client.Local.Address}>;tag={tag}\r\nTo: {to}\r\nCall-ID: {callId}\r\n" +
        $"CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} {method}\r\nContent-Length: 0\r\n\r\n";
}
