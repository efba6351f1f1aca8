using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Bus;
using Telephony.Host.Api;
using Telephony.Host.Cluster;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Host.Tests.Cluster;

/// <summary>
/// <c>GET /api/supervise</c> across the cluster (<see cref="BusSupervisionList"/>, no database: the bus's outbox and
/// <see cref="BusNode.OnMessageAsync"/> directly): the asker sends one question to all, gathers every live node's answer
/// (each entry tagged with its node), stops waiting once all answered or after 1 s, and answers others' questions.
/// </summary>
public sealed class BusSupervisionListTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static BusNode Node(BusLiveView view, TimeProvider time) =>
        new(new PbxOptions { Cluster = { NodeId = "node-a" } }, "Host=/nowhere;Username=x", view, new EventNotifier(),
            new ServiceCollection().BuildServiceProvider(), time, NullLogger<BusNode>.Instance);

    private static BusMessage Answer(string from, string request, params SupervisionEntry[] entries) =>
        BusMessage.Create(BusSupervisionList.ListedKind, from, JsonSerializer.SerializeToElement(new { request, supervisions = entries }, Web), "node-a");

    [Fact]
    public async Task The_asker_gathers_every_live_node_s_supervisions_with_their_node()
    {
        var time = new FakeTimeProvider(T0);
        var view = new BusLiveView(true, time);
        var node = Node(view, time);
        await node.OnMessageAsync(BusMessage.Create(BusNode.Beat, "node-b", null), default);
        await node.OnMessageAsync(BusMessage.Create(BusNode.Beat, "node-c", null), default);

        var gathering = node.Supervisions.GatherAsync(node, time);
        Assert.True(node.Outbox.TryRead(out var question));
        Assert.Equal((BusSupervisionList.ListKind, (string?)null), (question!.Kind, question.To));
        await node.OnMessageAsync(Answer("node-b", question.Id, new SupervisionEntry("s1", "2001", "1001", "c1", "Listen", true, true)), default);
        Assert.False(gathering.IsCompleted); // node-c has not answered yet
        await node.OnMessageAsync(Answer("node-c", question.Id), default);
        await node.OnMessageAsync(Answer("node-b", "an-old-request", new SupervisionEntry("s9", "2002", "1002", "c9", "Barge", true, true)), default);

        var entries = await gathering;
        var entry = Assert.Single(entries);
        Assert.Equal(("s1", "node-b", "1001"), (entry.Id, entry.Node, entry.Agent));
    }

    [Fact]
    public async Task A_node_that_does_not_answer_is_left_out_after_one_second_and_a_lone_node_does_not_wait()
    {
        var time = new FakeTimeProvider(T0);
        var view = new BusLiveView(true, time);
        var node = Node(view, time);
        Assert.Empty(await node.Supervisions.GatherAsync(node, time)); // nobody else alive: no question, no wait
        Assert.False(node.Outbox.TryRead(out _));

        await node.OnMessageAsync(BusMessage.Create(BusNode.Beat, "node-b", null), default);
        await node.OnMessageAsync(BusMessage.Create(BusNode.Beat, "node-c", null), default);
        var gathering = node.Supervisions.GatherAsync(node, time);
        Assert.True(node.Outbox.TryRead(out var question));
        await node.OnMessageAsync(Answer("node-b", question!.Id, new SupervisionEntry("s1", "2001", "1001", "c1", "Whisper", false, true)), default);
        time.Advance(BusSupervisionList.Within);
        Assert.Equal("s1", Assert.Single(await gathering).Id);
    }

    [Fact]
    public async Task A_question_from_another_node_is_answered_to_that_node()
    {
        var time = new FakeTimeProvider(T0);
        var node = Node(new BusLiveView(true, time), time);
        var question = BusMessage.Create(BusSupervisionList.ListKind, "node-b", null);
        await node.OnMessageAsync(question, default);
        Assert.True(node.Outbox.TryRead(out var answer));
        Assert.Equal((BusSupervisionList.ListedKind, "node-b", "node-a"), (answer!.Kind, answer.To, answer.From));
        Assert.Equal(question.Id, answer.Body!.Value.GetProperty("request").GetString());
        Assert.Equal(0, answer.Body.Value.GetProperty("supervisions").GetArrayLength()); // no PBX here: nothing supervised
    }
}
