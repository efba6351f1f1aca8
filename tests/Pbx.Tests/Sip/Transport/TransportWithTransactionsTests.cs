using System.Net;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

using Telephony.Pbx.Tests.Sip;

namespace Telephony.Pbx.Tests.Sip.Transport;

/// <summary>Two transports + transaction layers over loopback: the wiring the host does.</summary>
public class TransportWithTransactionsTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(5);

    private sealed class Node : IAsyncDisposable
    {
        public SipTransportLayer Transport { get; } = new();

        public SipTransactionLayer Layer { get; private set; } = null!;

        public TestTransactionUser User { get; } = new();

        public static async Task<Node> StartAsync()
        {
            var node = new Node();
            node.Layer = new SipTransactionLayer(node.Transport, node.User, TimeProvider.System);
            await node.Transport.StartAsync([
                new SipListenOptions(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 0)),
                new SipListenOptions(SipProtocol.Tcp, new IPEndPoint(IPAddress.Loopback, 0)),
            ], node.Layer);
            return node;
        }

        public async ValueTask DisposeAsync()
        {
            await Layer.DisposeAsync();
            await Transport.DisposeAsync();
        }
    }

    private static SipRequest Invite(SipEndPoint target)
    {
        var request = new SipRequest(SipMethod.Invite, SipUri.Parse($"sip:b@127.0.0.1:{target.EndPoint.Port}"));
        request.Headers.Add(HeaderName.From, "<sip:a@127.0.0.1>;tag=a1");
        request.Headers.Add(HeaderName.To, "<sip:b@127.0.0.1>");
        request.Headers.Add(HeaderName.CallId, SipIds.NewCallId());
        request.Headers.Add(HeaderName.CSeq, "1 INVITE");
        return request;
    }

    [Theory]
    [InlineData(SipProtocol.Udp)]
    [InlineData(SipProtocol.Tcp)]
    public async Task Invite_Busy_AckGeneratedAndAbsorbed(SipProtocol protocol)
    {
        await using var a = await Node.StartAsync();
        await using var b = await Node.StartAsync();
        var serverDone = new TaskCompletionSource<ServerTransaction>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.User.Request = async st =>
        {
            st.Terminated += s => serverDone.TrySetResult(s);
            await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 180));
            await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 486));
        };
        var provisional = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        var target = b.Transport.GetLocalEndPoint(protocol);
        var tx = a.Layer.SendRequest(Invite(target), target, (_, r) =>
        {
            if (r.StatusCode < 200)
            {
                provisional.TrySetResult(r.StatusCode);
            }
        });

        var final = await tx.FinalResponse.WaitAsync(Bound);
        Assert.Equal(486, final.StatusCode);
        Assert.Equal(180, await provisional.Task.WaitAsync(Bound));
        Assert.Equal("127.0.0.1", final.TopVia!.Received);

        if (protocol == SipProtocol.Tcp)
        {
            // Timer I is zero on TCP: the ACK terminates the server transaction at once.
            var st = await serverDone.Task.WaitAsync(Bound);
            Assert.Equal(TransactionState.Terminated, st.State);
            Assert.Equal(1, a.Transport.Counters.TcpConnectionsOpened);
            Assert.Equal(0, b.Transport.Counters.TcpConnectionsOpened);
        }
        else
        {
            await LoopbackPeer.EventuallyAsync(() => b.Transport.Counters.MessagesReceived == 2); // INVITE + ACK
        }
    }

    [Fact]
    public async Task Invite_Cancel_487_OverUdp()
    {
        await using var a = await Node.StartAsync();
        await using var b = await Node.StartAsync();
        b.User.Request = async st =>
        {
            st.Cancelled += s => _ = s.SendResponseAsync(SipResponse.CreateFor(s.Request, 487)).AsTask();
            await st.SendResponseAsync(SipResponse.CreateFor(st.Request, 180));
        };
        var target = b.Transport.GetLocalEndPoint(SipProtocol.Udp);
        var tx = a.Layer.SendRequest(Invite(target), target);

        var cancelResponse = await tx.CancelAsync().WaitAsync(Bound);

        Assert.Equal(200, cancelResponse!.StatusCode);
        Assert.Equal(487, (await tx.FinalResponse.WaitAsync(Bound)).StatusCode);
    }
}
