using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;
using Telephony.Pbx.Tests.Sip;

namespace Telephony.Pbx.Tests.Sip.Transactions;

/// <summary>A transaction layer on a fake clock and a fake sender, plus message builders.</summary>
internal sealed class TransactionTestKit
{
    public static readonly SipEndPoint PeerUdp = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 5060));
    public static readonly SipEndPoint PeerTcp = new(SipProtocol.Tcp, new IPEndPoint(IPAddress.Parse("10.0.0.1"), 40000));
    public static readonly SipEndPoint LocalUdp = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5070));
    public static readonly SipEndPoint LocalTcp = new(SipProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 5070));

    public TransactionTestKit(IReadOnlyCollection<IPAddress>? tryingAtOnceFrom = null)
    {
        User = new TestTransactionUser
        {
            Request = st =>
            {
                Received.Add(st);
                return ValueTask.CompletedTask;
            },
            Ack = (ack, _) =>
            {
                Acks.Add(ack);
                return ValueTask.CompletedTask;
            },
            Stray = (r, _) =>
            {
                Strays.Add(r);
                return ValueTask.CompletedTask;
            },
        };
        Layer = new SipTransactionLayer(Sender, User, Time, tryingAtOnceFrom: tryingAtOnceFrom);
    }

    /// <summary>The transaction user above the layer; tests may replace its callbacks.</summary>
    public TestTransactionUser User { get; }

    public FakeTimeProvider Time { get; } = new();

    public FakeSender Sender { get; } = new();

    public SipTransactionLayer Layer { get; }

    public List<ServerTransaction> Received { get; } = [];

    public List<SipRequest> Acks { get; } = [];

    public List<SipResponse> Strays { get; } = [];

    public void Advance(double seconds) => Time.Advance(TimeSpan.FromSeconds(seconds));

    /// <summary>An outbound request with no Via (the layer adds it).</summary>
    public static SipRequest Outbound(string method, uint cseq = 1)
    {
        var r = new SipRequest(method, SipUri.Parse("sip:bob@10.0.0.1"));
        r.Headers.Add(HeaderName.From, "<sip:alice@127.0.0.1>;tag=a1");
        r.Headers.Add(HeaderName.To, "<sip:bob@10.0.0.1>");
        r.Headers.Add(HeaderName.CallId, "call-out-1");
        r.Headers.Add(HeaderName.CSeq, $"{cseq} {method}");
        r.Headers.Add(HeaderName.Route, "<sip:proxy.example.com;lr>");
        return r;
    }

    /// <summary>An inbound request as a peer would send it.</summary>
    public static SipRequest Inbound(string method, string branch = "z9hG4bKpeer1", uint cseq = 1, string? toTag = null,
        string callId = "call-in-1", string cseqMethod = "")
    {
        var r = new SipRequest(method, SipUri.Parse("sip:alice@127.0.0.1:5070"));
        r.Headers.Add(HeaderName.Via, $"SIP/2.0/UDP 10.0.0.1:5060;branch={branch};rport");
        r.Headers.Add(HeaderName.MaxForwards, "70");
        r.Headers.Add(HeaderName.From, "<sip:bob@10.0.0.1>;tag=b1");
        r.Headers.Add(HeaderName.To, "<sip:alice@127.0.0.1>" + (toTag is null ? "" : ";tag=" + toTag));
        r.Headers.Add(HeaderName.CallId, callId);
        r.Headers.Add(HeaderName.CSeq, $"{cseq} {(cseqMethod.Length > 0 ? cseqMethod : method)}");
        return r;
    }

    /// <summary>The final response, which must already be there (no blocking wait).</summary>
    public static SipResponse Final(ClientTransaction tx)
    {
        Assert.True(tx.FinalResponse.IsCompletedSuccessfully, "final response not completed");
        return tx.FinalResponse.Result;
    }

    public static SipResponse Reply(SipRequest sent, int status, string? toTag = "t1") =>
        SipResponse.CreateFor(sent, status, null, status == 100 ? null : toTag);

    public ValueTask Deliver(SipMessage message, SipEndPoint? from = null) =>
        Layer.OnMessageAsync(message, from ?? PeerUdp, (from ?? PeerUdp).IsReliable ? LocalTcp : LocalUdp);

    /// <summary>Times (seconds since start) at which messages matching the filter were sent, stepping the clock.</summary>
    public List<double> SendTimes(Func<SipMessage, bool> filter, double until, double step = 0.25)
    {
        var start = Time.GetUtcNow();
        var times = new List<double>();
        var seen = Sender.Sent.Count(s => filter(s.Message));
        for (var t = 0d; t < until; t += step)
        {
            Advance(step);
            var now = Sender.Sent.Count(s => filter(s.Message));
            for (; seen < now; seen++)
            {
                times.Add((Time.GetUtcNow() - start).TotalSeconds);
            }
        }

        return times;
    }
}
