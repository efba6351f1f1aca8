using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using Telephony.Pbx.Sip.Transport;
using static Telephony.Pbx.Tests.Sip.Transport.LoopbackPeer;

namespace Telephony.Pbx.Tests.Sip.Transport;

/// <summary>
/// Issue 10 item 5: inbound SIP is handled in shards keyed by Call-ID. One dialog's messages keep their order, other
/// dialogs are not held up by a handler that waits, neither is the receive loop, and overload is shed with 503.
/// </summary>
public sealed class SipDispatcherTests
{
    private static readonly SipEndPoint Remote = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5999));
    private static readonly SipEndPoint Local = new(SipProtocol.Udp, new IPEndPoint(IPAddress.Loopback, 5060));

    private static SipMessage Parse(string text)
    {
        Assert.True(SipMessageParser.TryParse(Encoding.UTF8.GetBytes(text), out var message, out _));
        return message!;
    }

    [Fact]
    public async Task One_dialog_stays_in_order_while_a_slow_one_does_not_hold_up_the_others()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handled = new List<string>();
        var otherDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new SwitchableMessageHandler(async (m, _, _) =>
        {
            var label = m.CallId + "/" + m.CSeq.Number;
            if (label == "slow/1")
            {
                await release.Task; // e.g. authentication or the call layer taking its time
            }

            lock (handled)
            {
                handled.Add(label);
            }

            if (m.CallId != "slow" && m.CSeq.Number == 3)
            {
                otherDone.TrySetResult();
            }
        });
        var dispatcher = new SipDispatcher(16, 64, handler, new TransportCounters(), NullLogger.Instance);
        var other = Enumerable.Range(0, 100).Select(i => "other-" + i)
            .First(id => SipDispatcher.ShardOf(id, 16) != SipDispatcher.ShardOf("slow", 16)); // hashes are per process

        for (var n = 1; n <= 3; n++)
        {
            Assert.True(dispatcher.TryDispatch(Parse(Request(callId: "slow", cseq: n + " OPTIONS", branch: "z9hG4bKs" + n)),
                Remote, Local));
            Assert.True(dispatcher.TryDispatch(Parse(Request(callId: other, cseq: n + " OPTIONS", branch: "z9hG4bKo" + n)),
                Remote, Local));
        }

        await otherDone.Task.WaitAsync(Bound); // the other dialog finished while the slow one still waits
        lock (handled)
        {
            Assert.Equal([other + "/1", other + "/2", other + "/3"], handled);
        }

        release.SetResult();
        await EventuallyAsync(() =>
        {
            lock (handled)
            {
                return handled.Count == 6;
            }
        });
        lock (handled)
        {
            Assert.Equal(["slow/1", "slow/2", "slow/3"], handled.Where(h => h.StartsWith("slow", StringComparison.Ordinal)));
        }
    }

    [Fact]
    public void Shard_is_a_function_of_the_Call_ID()
    {
        Assert.Equal(SipDispatcher.ShardOf("abc@host", 8), SipDispatcher.ShardOf("abc@host", 8));
        Assert.Equal(0, SipDispatcher.ShardOf(null, 8));
        var shards = Enumerable.Range(0, 1000).Select(i => SipDispatcher.ShardOf("call-" + i, 8)).ToHashSet();
        Assert.Equal(8, shards.Count);
    }

    [Fact]
    public async Task Receive_loop_is_not_held_by_a_handler_that_waits()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var peer = await StartAsync();
        peer.Handler.Handle = async (m, r, l) =>
        {
            if (m.CallId == "blocked")
            {
                await release.Task;
            }

            await peer.Inbox.Writer.WriteAsync((m, r, l));
        };
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(callId: "blocked", branch: "z9hG4bKb1")), peer.Udp);
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(callId: "free", branch: "z9hG4bKf1")), peer.Udp);

        var (message, _, _) = await peer.NextAsync();
        Assert.Equal("free", message.CallId);
        release.SetResult();
        Assert.Equal("blocked", (await peer.NextAsync()).Message.CallId);
    }

    [Fact]
    public async Task Full_shard_queue_answers_requests_503_with_Retry_After_and_drops_ACKs()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var transport = new SipTransportLayer { DispatchShards = 1, DispatchQueueCapacity = 1 };
        await using var peer = await StartAsync(transport: transport);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.Handler.Handle = async (_, _, _) =>
        {
            started.TrySetResult();
            await release.Task;
        };
        using var client = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(callId: "c1", branch: "z9hG4bK1")), peer.Udp);
        await started.Task.WaitAsync(Bound); // the only shard is busy with c1
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(callId: "c2", branch: "z9hG4bK2")), peer.Udp); // queued
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(method: "ACK", callId: "c3", branch: "z9hG4bK3")), peer.Udp);
        await client.SendAsync(Encoding.UTF8.GetBytes(Request(callId: "c4", branch: "z9hG4bK4")), peer.Udp);

        var text = await ReceiveTextAsync(client);
        Assert.StartsWith("SIP/2.0 503", text, StringComparison.Ordinal);
        Assert.Contains("Call-ID: c4", text, StringComparison.Ordinal);
        Assert.Contains("Retry-After: " + SipTransportLayer.OverloadRetryAfterSeconds, text, StringComparison.Ordinal);
        await EventuallyAsync(() => transport.Counters.Overloaded == 2);
        Assert.Equal(1, transport.PendingMessages);
        release.SetResult();
        await EventuallyAsync(() => transport.PendingMessages == 0);
        Assert.Equal(0, client.Available); // the ACK got no answer
    }

    [Fact]
    public void A_handler_that_does_not_wait_runs_on_the_receiving_thread()
    {
        var thread = -1;
        var handler = new SwitchableMessageHandler((_, _, _) =>
        {
            thread = Environment.CurrentManagedThreadId;
            return ValueTask.CompletedTask;
        });
        var dispatcher = new SipDispatcher(4, 4, handler, new TransportCounters(), NullLogger.Instance);
        Assert.True(dispatcher.TryDispatch(Parse(Request()), Remote, Local));
        Assert.Equal(Environment.CurrentManagedThreadId, thread); // no thread hop when nothing waits
        Assert.Equal(0, dispatcher.Pending);
    }

    [Fact]
    public async Task A_handler_that_throws_is_counted_and_the_shard_goes_on()
    {
        var counters = new TransportCounters();
        var calls = 0;
        var handler = new SwitchableMessageHandler(async (_, _, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                await Task.Yield();
                throw new InvalidOperationException("boom");
            }
        });
        var dispatcher = new SipDispatcher(1, 4, handler, counters, NullLogger.Instance);
        Assert.True(dispatcher.TryDispatch(Parse(Request(branch: "z9hG4bK1")), Remote, Local));
        Assert.True(dispatcher.TryDispatch(Parse(Request(branch: "z9hG4bK2")), Remote, Local));
        await EventuallyAsync(() => Volatile.Read(ref calls) == 2 && dispatcher.Pending == 0);
        Assert.Equal(1, counters.HandlerErrors);
    }
}
