using System.Text.Json;
using Telephony.Cluster.Bus;

namespace Telephony.Cluster.Tests.Bus;

/// <summary>Encoding of bus messages (PostgreSQL NOTIFY payload: JSON, shorter than 8000 bytes) and what a node keeps.</summary>
public sealed class BusCodecTests
{
    private sealed record Sample(string CallId, int Count);

    [Fact]
    public void A_message_round_trips_with_its_body()
    {
        var message = BusMessage.Create("call.started", "node-a", BusCodec.ToBody(new Sample("c1", 3)), to: "node-b");
        var payload = BusCodec.TryEncode(message, out var size);
        Assert.NotNull(payload);
        Assert.Contains("\"kind\":\"call.started\"", payload, StringComparison.Ordinal);
        Assert.Contains("\"callId\":\"c1\"", payload, StringComparison.Ordinal);
        Assert.DoesNotContain("replyTo", payload, StringComparison.Ordinal);
        Assert.True(size < 8000);
        var back = BusCodec.TryDecode(payload)!;
        Assert.Equal((message.Kind, message.From, message.To, message.Id, message.ReplyTo), (back.Kind, back.From, back.To, back.Id, back.ReplyTo));
        Assert.Equal(new Sample("c1", 3), BusCodec.FromBody<Sample>(back));
    }

    [Fact]
    public void A_payload_of_8000_bytes_or_more_is_refused()
    {
        var fits = BusMessage.Create("x", "n", BusCodec.ToBody(new Sample(new string('a', 7000), 1)));
        var big = BusMessage.Create("x", "n", BusCodec.ToBody(new Sample(new string('é', 4000), 1))); // 8000 bytes of UTF-8 alone
        Assert.NotNull(BusCodec.TryEncode(fits, out _));
        Assert.Null(BusCodec.TryEncode(big, out var size));
        Assert.True(size >= 8000);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("{\"kind\":\"x\",\"from\":\"\",\"id\":\"1\"}")]
    [InlineData("{\"from\":\"a\",\"id\":\"1\"}")]
    public void Foreign_payloads_decode_to_null(string? payload) => Assert.Null(BusCodec.TryDecode(payload));

    [Fact]
    public void A_malformed_body_reads_as_default()
    {
        var message = BusMessage.Create("x", "n", JsonSerializer.SerializeToElement("text"));
        Assert.Null(BusCodec.FromBody<Sample>(message));
        Assert.Null(BusCodec.FromBody<Sample>(message with { Body = null }));
    }

    [Fact]
    public async Task A_node_ignores_its_echoes_and_messages_for_others_and_routes_replies_to_requests()
    {
        var listener = new RecordingListener();
        await using var bus = new ClusterBus("Host=/nowhere;Username=x", "node-a", listener, TimeProvider.System);
        await bus.ReceiveAsync(Encode(BusMessage.Create("e", "node-a", null)), default); // echo
        await bus.ReceiveAsync(Encode(BusMessage.Create("e", "node-b", null, to: "node-c")), default); // for node-c
        await bus.ReceiveAsync(Encode(BusMessage.Create("e", "node-b", null, to: "node-a")), default);
        await bus.ReceiveAsync(Encode(BusMessage.Create("f", "node-b", null)), default);
        await bus.ReceiveAsync("garbage", default);
        await bus.ReceiveAsync(Encode(new BusMessage(BusKinds.Reply, "node-b", "node-a", "r1", "unknown", null)), default); // late reply
        Assert.True(listener.Messages.TryRead(out var first));
        Assert.True(listener.Messages.TryRead(out var second));
        Assert.Equal(("e", "f"), (first.Kind, second.Kind));
        Assert.False(listener.Messages.TryRead(out _));
    }

    [Fact]
    public void The_channel_is_per_schema_when_a_search_path_is_set()
    {
        Assert.Equal("telephony_bus", ClusterBus.ChannelFor("Host=db;Username=x"));
        Assert.Equal("telephony_bus_cluster_test_1", ClusterBus.ChannelFor("Host=db;Search Path=Cluster-Test-1"));
        Assert.Equal(63, ClusterBus.ChannelFor("Host=db;Search Path=" + new string('s', 80)).Length);
    }

    private static string Encode(BusMessage message) => BusCodec.TryEncode(message, out _)!;
}
