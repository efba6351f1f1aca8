using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Queues.Configuration;
using static Telephony.Pbx.Tests.Queues.QueueHarness;

namespace Telephony.Pbx.Tests.Queues;

public sealed class QueueSchedulerServiceTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    private static QueuesConfig Config() => new()
    {
        Queues = [Queue("support", QueueStrategy.RoundRobin, "1001", "1002") with { RingTimeout = TimeSpan.FromSeconds(20) }],
    };

    [Fact]
    public async Task Send_returns_the_actions_and_publishes_them()
    {
        var time = new FakeTimeProvider(Start);
        await using var service = new QueueSchedulerService(Config(), time, invariantCheckInterval: 1);
        service.Start();
        await service.SendAsync(new AgentLoggedIn("1001")).WaitAsync(Bound);
        var actions = await service.SendAsync(new CallArrived("c1", "support", 0)).WaitAsync(Bound);
        var ring = Assert.Single(actions.OfType<RingAgent>());
        Assert.Equal("1001", ring.Agent);
        var published = new List<QueueAction>();
        while (service.Actions.TryRead(out var a))
        {
            published.Add(a);
        }
        Assert.Contains(ring, published);
        var snapshot = await service.GetSnapshotAsync().WaitAsync(Bound);
        Assert.Equal(CallState.Offering, snapshot.FindCall("c1")!.State);
    }

    [Fact]
    public async Task Loop_wakes_up_for_the_ring_timeout_on_the_injected_clock()
    {
        var time = new FakeTimeProvider(Start);
        await using var service = new QueueSchedulerService(Config(), time, invariantCheckInterval: 1);
        service.Start();
        await service.SendAsync(new AgentLoggedIn("1001")).WaitAsync(Bound);
        await service.SendAsync(new AgentLoggedIn("1002")).WaitAsync(Bound);
        await service.SendAsync(new CallArrived("c1", "support")).WaitAsync(Bound);
        // The loop registers its sleep asynchronously: step the fake clock until the timeout fires (bounded).
        CancelRing? cancel = null;
        for (var i = 0; i < 200 && cancel is null; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            cancel = await ReadUntil<CancelRing>(service, TimeSpan.FromMilliseconds(20));
        }
        Assert.NotNull(cancel);
        Assert.Equal(("1001", CancelReason.RingTimeout), (cancel!.Agent, cancel.Reason));
        var next = await ReadUntil<RingAgent>(service, Bound, a => a.Agent == "1002");
        Assert.NotNull(next);
    }

    [Fact]
    public async Task Concurrent_posts_from_many_threads_are_serialized()
    {
        var time = new FakeTimeProvider(Start);
        var log = new CriticalLog();
        await using var service = new QueueSchedulerService(Config(), time, log, invariantCheckInterval: 1);
        service.Start();
        var posts = Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                QueueCommand command = (i % 5) switch
                {
                    0 => new CallArrived($"t{t}-{i}", "support", i % 3),
                    1 => new AgentLoggedIn(i % 2 == 0 ? "1001" : "1002"),
                    2 => new CallerHungUp($"t{t}-{i - 2}"),
                    3 => new AgentPaused("1002", "x"),
                    _ => new AgentResumed("1002"),
                };
                service.Post(command);
            }
        })).ToArray();
        await Task.WhenAll(posts).WaitAsync(Bound);
        var snapshot = await service.GetSnapshotAsync().WaitAsync(Bound);
        Assert.Empty(log.Critical);
        var ringing = snapshot.Queues.SelectMany(q => q.Calls).SelectMany(c => c.RingingAgents).ToList();
        Assert.Equal(ringing.Distinct().Count(), ringing.Count);
    }

    [Fact]
    public async Task Dispose_stops_the_loop_and_completes_actions()
    {
        var service = new QueueSchedulerService(Config(), new FakeTimeProvider(Start), invariantCheckInterval: 1);
        service.Start();
        await service.SendAsync(new AgentLoggedIn("1001")).WaitAsync(Bound);
        await service.DisposeAsync().AsTask().WaitAsync(Bound);
        Assert.False(service.Post(new AgentLoggedIn("1002")));
        // Completion needs the remaining actions drained: the reader sees the end of the stream.
        using var cts = new CancellationTokenSource(Bound);
        await foreach (var _ in service.Actions.ReadAllAsync(cts.Token))
        {
        }
        Assert.True(service.Actions.Completion.IsCompleted);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => service.SendAsync(TimerTick.Instance));
    }

    private static async Task<T?> ReadUntil<T>(QueueSchedulerService service, TimeSpan within, Func<T, bool>? match = null) where T : QueueAction
    {
        using var cts = new CancellationTokenSource(within);
        try
        {
            while (await service.Actions.WaitToReadAsync(cts.Token))
            {
                while (service.Actions.TryRead(out var a))
                {
                    if (a is T t && (match is null || match(t)))
                    {
                        return t;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    private sealed class CriticalLog : ILogger<QueueSchedulerService>
    {
        public List<string> Critical { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Critical)
            {
                lock (Critical)
                {
                    Critical.Add(formatter(state, exception));
                }
            }
        }
    }
}
