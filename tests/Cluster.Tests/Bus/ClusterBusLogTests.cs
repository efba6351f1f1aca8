using Microsoft.Extensions.Time.Testing;
using Telephony.Cluster.Bus;

namespace Telephony.Cluster.Tests.Bus;

/// <summary>
/// Durable bus messages (<see cref="ClusterBus.PublishDurableAsync"/>, <c>cluster_bus_log</c>) against a real PostgreSQL:
/// agent commands sent while a node's listening connection is down (<c>pg_terminate_backend</c>; its reconnection
/// waits on a fake clock, so they are surely sent while it is away) reach it on reconnection, in order, once; sending the
/// same message again, a second wake-up or another reconnection applies nothing twice; a node's own later command on an
/// agent wins over another node's earlier one it missed.
/// </summary>
public sealed class ClusterBusLogTests(ThrowawayPostgres postgres) : IClassFixture<ThrowawayPostgres>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private static string Channel() => "bus_log_test_" + Guid.NewGuid().ToString("N")[..12];

    private static BusMessage Command(string from, string agent, string action, string? reason = null) =>
        BusMessage.Create("agent.command", from, BusCodec.ToBody(new { agent, action, reason }));

    [PostgresFact]
    public async Task Commands_sent_while_a_node_is_disconnected_arrive_on_reconnection_in_order_and_once()
    {
        var channel = Channel();
        using var stop = new CancellationTokenSource();
        var (a, b) = (new RecordingListener(), new RecordingListener());
        var nodeB = "node-b-" + Guid.NewGuid().ToString("N")[..6];
        var clockB = new FakeTimeProvider(DateTimeOffset.UtcNow); // B reconnects only when this clock is advanced
        await using var busA = new ClusterBus(postgres.ConnectionString, postgres.DataSource, "node-a", a, TimeProvider.System, channel);
        await using var busB = new ClusterBus(postgres.ConnectionString, nodeB, b, clockB, channel);
        var run = busB.RunAsync(stop.Token);
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        var before = Command("node-a", "1003", "login");
        Assert.True(await busA.PublishDurableAsync(before, "1003"));
        Assert.Equal(before.Id, (await b.Messages.ReadAsync().AsTask().WaitAsync(Wait)).Id); // live: woken at once
        await Task.Delay(Quiet); // B's catch-ups of its connection and of that wake-up are done (none reads while it is away)

        await KillListenerAsync(nodeB);
        Assert.False(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        BusMessage[] missed =
        [
            Command("node-a", "1001", "login"), Command("node-a", "1001", "pause", "lunch"), Command("node-a", "1002", "login"),
            Command("node-a", "1003", "logout"),
        ];
        foreach (var command in missed)
        {
            Assert.True(await busA.PublishDurableAsync(command, command.Body!.Value.GetProperty("agent").GetString()));
        }
        Assert.True(await busA.PublishDurableAsync(missed[1], "1001")); // sent again (a retry): stored once
        Assert.True(await busA.PublishAsync(BusMessage.Create("call.started", "node-a", null))); // live: lost to B
        await Task.Delay(Quiet);
        Assert.False(b.Messages.TryRead(out var early), early?.ToString());

        clockB.Advance(ClusterBus.MaxBackoff);
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        var got = new List<BusMessage>();
        for (int i = 0; i < missed.Length; i++)
        {
            got.Add(await b.Messages.ReadAsync().AsTask().WaitAsync(Wait));
        }
        Assert.Equal(missed.Select(m => m.Id), got.Select(m => m.Id));
        var states = AgentStates(got.Prepend(before));
        Assert.Equal("paused:lunch", states["1001"]);
        Assert.Equal("available", states["1002"]);
        Assert.Equal("logged-out", states["1003"]);

        // Another wake-up (a new command) and another reconnection deliver only what is new.
        var resume = Command("node-a", "1001", "resume");
        Assert.True(await busA.PublishDurableAsync(resume, "1001"));
        Assert.Equal(resume.Id, (await b.Messages.ReadAsync().AsTask().WaitAsync(Wait)).Id);
        await KillListenerAsync(nodeB);
        Assert.False(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        clockB.Advance(ClusterBus.MaxBackoff);
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        await Task.Delay(Quiet);
        Assert.False(b.Messages.TryRead(out _));
        Assert.Equal(1 + missed.Length + 1, busB.LogDelivered);
        Assert.Equal(1 + missed.Length + 1, await ScalarAsync("SELECT count(*) FROM cluster_bus_log WHERE channel = $1", channel));

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
    }

    [PostgresFact]
    public async Task A_nodes_own_later_command_wins_over_one_it_missed_and_a_new_node_starts_after_the_log()
    {
        var channel = Channel();
        using var stop = new CancellationTokenSource();
        var (a, b) = (new RecordingListener(), new RecordingListener());
        var nodeB = "node-b-" + Guid.NewGuid().ToString("N")[..6];
        var clockB = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var busA = new ClusterBus(postgres.ConnectionString, postgres.DataSource, "node-a", a, TimeProvider.System, channel);
        Assert.True(await busA.PublishDurableAsync(Command("node-a", "1001", "logout"), "1001")); // before B ever listened
        await using var busB = new ClusterBus(postgres.ConnectionString, nodeB, b, clockB, channel);
        var run = busB.RunAsync(stop.Token);
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        await Task.Delay(Quiet); // the catch-up of its connection is done
        await KillListenerAsync(nodeB);
        Assert.False(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));

        var pause = Command("node-a", "1001", "pause", "lunch");
        Assert.True(await busA.PublishDurableAsync(pause, "1001"));
        Assert.True(await busB.PublishDurableAsync(Command(nodeB, "1001", "resume"), "1001")); // B's own, later
        var other = Command("node-a", "1002", "pause", "break");
        Assert.True(await busA.PublishDurableAsync(other, "1002"));
        clockB.Advance(ClusterBus.MaxBackoff);
        Assert.True(await b.Connections.ReadAsync().AsTask().WaitAsync(Wait));
        Assert.Equal(other.Id, (await b.Messages.ReadAsync().AsTask().WaitAsync(Wait)).Id);
        await Task.Delay(Quiet);
        Assert.False(b.Messages.TryRead(out _)); // neither the logout from before B started nor the superseded pause

        await stop.CancelAsync();
        await run.WaitAsync(Wait);
    }

    /// <summary>What a node's scheduler would end with (a small model of login/logout/pause/resume).</summary>
    private static Dictionary<string, string> AgentStates(IEnumerable<BusMessage> commands)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var body in commands.Select(c => c.Body!.Value))
        {
            var agent = body.GetProperty("agent").GetString()!;
            states[agent] = body.GetProperty("action").GetString() switch
            {
                "login" or "resume" => "available",
                "logout" => "logged-out",
                "pause" => "paused:" + body.GetProperty("reason").GetString(),
                var other => throw new InvalidOperationException(other),
            };
        }
        return states;
    }

    private async Task KillListenerAsync(string node)
    {
        await using var kill = postgres.DataSource.CreateCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1");
        kill.Parameters.Add(new Npgsql.NpgsqlParameter { Value = "telephony-bus " + node });
        await kill.ExecuteNonQueryAsync();
    }

    private async Task<long> ScalarAsync(string sql, string channel)
    {
        await using var command = postgres.DataSource.CreateCommand(sql);
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = channel });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
