using Telephony.Cluster.Bus;

namespace Telephony.Cluster.Tests.Bus;

/// <summary>
/// The bus against a real PostgreSQL (<see cref="ThrowawayPostgres"/>): a message published by one node reaches the
/// other (not itself), a request is answered, an unanswered one ends as NoTaker, and a node whose listening connection
/// is killed (<c>pg_terminate_backend</c>) reconnects and receives again.
/// </summary>
public sealed class ClusterBusTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static string Channel() => "bus_test_" + Guid.NewGuid().ToString("N")[..12];

    [PostgresFact]
    public async Task A_message_reaches_the_other_node_and_a_request_is_answered()
    {
        var channel = Channel();
        using var stop = new CancellationTokenSource();
        var (a, b) = (new RecordingListener(), new RecordingListener());
        await using var busA = new ClusterBus(postgres.ConnectionString, "node-a", a, TimeProvider.System, channel);
        await using var busB = new ClusterBus(postgres.ConnectionString, "node-b", b, TimeProvider.System, channel);
        b.Bus = busB;
        var runs = new[] { busA.RunAsync(stop.Token), busB.RunAsync(stop.Token) };
        Assert.True(await a.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));

        var sent = BusMessage.Create("call.started", "node-a", BusCodec.ToBody(new { callId = "c1" }));
        Assert.True(await busA.PublishAsync(sent));
        var got = await b.Messages.ReadAsync().AsTask().WaitAsync(Wait);
        Assert.Equal((sent.Id, "node-a"), (got.Id, got.From));
        Assert.Equal("c1", got.Body!.Value.GetProperty("callId").GetString());

        var reply = await busA.RequestAsync(BusMessage.Create("echo", "node-a", BusCodec.ToBody(new { n = 7 })), Wait, Wait);
        Assert.Equal(BusReplyOutcome.Replied, reply.Outcome);
        Assert.Equal(("node-b", 7), (reply.Message!.From, reply.Message.Body!.Value.GetProperty("n").GetInt32()));

        var nobody = await busA.RequestAsync(BusMessage.Create("unknown", "node-a", null), TimeSpan.FromMilliseconds(300), Wait);
        Assert.Equal(BusReplyOutcome.NoTaker, nobody.Outcome);
        Assert.False(a.Messages.TryRead(out _)); // its own messages never came back to node-a

        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(Wait);
    }

    [PostgresFact]
    public async Task A_killed_listening_connection_reconnects_and_receives_again()
    {
        var channel = Channel();
        using var stop = new CancellationTokenSource();
        var (a, b) = (new RecordingListener(), new RecordingListener());
        var nodeB = "node-b-" + Guid.NewGuid().ToString("N")[..6];
        await using var busA = new ClusterBus(postgres.ConnectionString, "node-a", a, TimeProvider.System, channel);
        await using var busB = new ClusterBus(postgres.ConnectionString, nodeB, b, TimeProvider.System, channel);
        var run = busB.RunAsync(stop.Token);
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));

        await using (var kill = postgres.DataSource.CreateCommand(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1"))
        {
            kill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "telephony-bus " + nodeB });
            await kill.ExecuteNonQueryAsync();
        }
        Assert.False(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(2, busB.Connections);

        Assert.True(await busA.PublishAsync(BusMessage.Create("after", "node-a", null)));
        Assert.Equal("after", (await b.Messages.ReadAsync().AsTask().WaitAsync(Wait)).Kind);

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
    }
}
