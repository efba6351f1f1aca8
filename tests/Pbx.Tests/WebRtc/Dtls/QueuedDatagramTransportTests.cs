using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Tests.WebRtc.Dtls;

/// <summary>The media-loop side of the DTLS adapter: non-blocking, bounded, allocation-free, woken by Close.</summary>
public sealed class QueuedDatagramTransportTests
{
    private sealed class NullSender : IDtlsDatagramSender
    {
        public int Count { get; private set; }

        public void Send(ReadOnlySpan<byte> datagram) => Count++;
    }

    [Fact]
    public void Datagrams_come_out_in_order_and_receive_times_out_with_minus_one()
    {
        var transport = new QueuedDatagramTransport(new NullSender(), 8, 1200);
        Assert.True(transport.TryEnqueue([22, 1, 2]));
        Assert.True(transport.TryEnqueue([22, 3]));
        var buffer = new byte[16];
        Assert.Equal(3, transport.Receive(buffer, 0, 16, 10));
        Assert.Equal(2, transport.Receive(buffer.AsSpan(), 10));
        Assert.Equal(3, buffer[1]);
        Assert.Equal(-1, transport.Receive(buffer, 0, 16, 10));
    }

    [Fact]
    public async Task Close_wakes_a_blocked_receiver_and_further_sends_are_dropped()
    {
        var sender = new NullSender();
        var transport = new QueuedDatagramTransport(sender, 8, 1200);
        var receiver = Task.Run(() => transport.Receive(new byte[16], 0, 16, 0)); // 0 = wait forever
        await Task.Delay(50);
        transport.Close();
        await Assert.ThrowsAsync<IOException>(() => receiver.WaitAsync(TimeSpan.FromSeconds(5)));
        transport.Send([21, 1]);
        Assert.Equal(0, sender.Count);
        Assert.False(transport.TryEnqueue([22]));
    }

    [Fact]
    public void Enqueue_and_receive_allocate_nothing_once_warm()
    {
        var transport = new QueuedDatagramTransport(new NullSender(), 8, 1200);
        var datagram = new byte[300];
        datagram[0] = 22;
        var buffer = new byte[2048];
        for (var i = 0; i < 100; i++)
        {
            transport.TryEnqueue(datagram);
            transport.Receive(buffer, 0, buffer.Length, 1);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            transport.TryEnqueue(datagram);
            transport.Receive(buffer, 0, buffer.Length, 1);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
