using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>
/// A SIP "network" in memory: endpoints attach by address, and every message sent is serialized to bytes and parsed
/// again on delivery (as a socket would), so nothing is shared between sender and receiver. Delivery runs in send
/// order on one pump, off the sender's stack. <see cref="Trace"/> keeps every message for assertions.
/// </summary>
internal sealed class InMemorySipNetwork : IAsyncDisposable
{
    private readonly ConcurrentDictionary<IPEndPoint, Func<SipMessage, SipEndPoint, ValueTask>> _nodes = new();
    private readonly Channel<(byte[] Bytes, SipEndPoint From, IPEndPoint To)> _wire =
        Channel.CreateUnbounded<(byte[], SipEndPoint, IPEndPoint)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private int _inFlight;

    public InMemorySipNetwork() => _pump = Task.Run(PumpAsync);

    /// <summary>Every message delivered, in order: (from, to, message as text).</summary>
    public ConcurrentQueue<(SipEndPoint From, IPEndPoint To, string Text)> Trace { get; } = new();

    /// <summary>Messages addressed to nobody (dropped, like UDP to a closed port).</summary>
    public int Undeliverable;

    public void Attach(IPEndPoint address, Func<SipMessage, SipEndPoint, ValueTask> deliver) =>
        _nodes[address] = deliver;

    public void Detach(IPEndPoint address) => _nodes.TryRemove(address, out _);

    public void Send(SipMessage message, SipEndPoint from, IPEndPoint to)
    {
        Interlocked.Increment(ref _inFlight);
        _wire.Writer.TryWrite((message.ToBytes(), from, to));
    }

    /// <summary>True when nothing is on the wire (messages may still be in a receiver's hands).</summary>
    public bool IsQuiet => Volatile.Read(ref _inFlight) == 0;

    private async Task PumpAsync()
    {
        await foreach (var (bytes, from, to) in _wire.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (!_nodes.TryGetValue(to, out var deliver))
                {
                    Interlocked.Increment(ref Undeliverable);
                    continue;
                }
                if (!SipMessageParser.TryParse(bytes, out var message, out var error))
                {
                    throw new InvalidOperationException($"unparsable message on the wire ({error}): {System.Text.Encoding.UTF8.GetString(bytes)}");
                }
                Trace.Enqueue((from, to, message.ToString()));
                await deliver(message, from).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _wire.Writer.TryComplete();
        await _pump.ConfigureAwait(false);
    }
}
