using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues.Configuration;

public sealed class QueuesConfigLoaderTests
{
    internal static string SampleFile()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Telephony.sln")))
        {
            dir = dir.Parent;
        }
        Assert.NotNull(dir);
        return Path.Combine(dir!.FullName, "config", "queues.yaml");
    }

    [Fact]
    public void Sample_config_loads_with_the_documented_queues()
    {
        var config = QueuesConfigLoader.LoadFile(SampleFile());
        Assert.True(config.LoginOnRegister);
        Assert.Equal(["sales", "support", "billing", "operator"], config.Queues.Select(q => q.Name));
        Assert.Equal(["1003"], config.Find("sales")!.Members.Select(m => m.Agent));
        Assert.Equal(["1001", "1002"], config.Find("support")!.Members.Select(m => m.Agent));
        Assert.Equal(["1004"], config.Find("billing")!.Members.Select(m => m.Agent));
        Assert.Equal(["1001", "1002", "1003", "1004"], config.Find("operator")!.Members.Select(m => m.Agent));
        Assert.Equal(QueueStrategy.RingAll, config.Find("operator")!.Strategy);
        Assert.Equal(OverflowTarget.ToQueue("operator"), config.Find("support")!.Overflow);
        Assert.Equal(OverflowTarget.Goodbye("en/ivr/all-busy"), config.Find("operator")!.Overflow);
        Assert.Equal(["1003", "1001", "1002", "1004"], config.Agents());
    }

    [Fact]
    public void Defaults_apply_and_queues_override_them()
    {
        var config = QueuesConfigLoader.Parse("""
            loginOnRegister: false
            defaults:
              strategy: round-robin
              ringTimeoutSeconds: 12
              wrapUpSeconds: 7
              priorityAging: { everySeconds: 30, maxBoost: 2 }
            queues:
              - name: a
                members: ["1001", { agent: "1002", penalty: 3 }]
              - name: b
                strategy: ring-all
                wrapUpSeconds: 0
                maxWaitSeconds: 0
                announceIntervalSeconds: 15
                noAnswerSkipSeconds: 45
                defaultHandleTimeSeconds: 90
                handleTimeWindow: 5
                holdMusic: en/hold
                overflow: { transfer: "+15550001" }
                members: ["1003"]
            """);
        Assert.False(config.LoginOnRegister);
        var a = config.Find("a")!;
        Assert.Equal(QueueStrategy.RoundRobin, a.Strategy);
        Assert.Equal(TimeSpan.FromSeconds(12), a.RingTimeout);
        Assert.Equal(TimeSpan.FromSeconds(7), a.WrapUp);
        Assert.Equal(new PriorityAging(TimeSpan.FromSeconds(30), 2), a.PriorityAging);
        Assert.Equal([new QueueMemberConfig("1001", 0), new QueueMemberConfig("1002", 3)], a.Members);
        var b = config.Find("b")!;
        Assert.Equal(QueueStrategy.RingAll, b.Strategy);
        Assert.Equal(TimeSpan.Zero, b.WrapUp);
        Assert.Equal(TimeSpan.Zero, b.MaxWait);
        Assert.Equal(TimeSpan.FromSeconds(15), b.AnnounceInterval);
        Assert.Equal(TimeSpan.FromSeconds(45), b.NoAnswerSkip);
        Assert.Equal(TimeSpan.FromSeconds(90), b.DefaultHandleTime);
        Assert.Equal(5, b.HandleTimeWindow);
        Assert.Equal("en/hold", b.HoldMusic);
        Assert.Equal(OverflowTarget.TransferTo("+15550001"), b.Overflow);
    }

    [Theory]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: hangup\n", OverflowKind.Hangup, null)]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: { hangup: }\n", OverflowKind.Hangup, null)]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: { hangup: bye }\n", OverflowKind.Hangup, "bye")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n", OverflowKind.Hangup, null)]
    public void Overflow_forms(string yaml, OverflowKind kind, string? target) =>
        Assert.Equal(new OverflowTarget(kind, target), QueuesConfigLoader.Parse(yaml).Queues[0].Overflow);

    /// <summary>Each bad file, the line and column of the first error, and a fragment of its message.</summary>
    [Theory]
    [InlineData("queues:\n  - name: a\n    strategy: fastest\n    members: [\"1\"]\n", 3, 15, "unknown strategy 'fastest'")]
    [InlineData("queues:\n  - name: a\n    ringTimeout: 5\n    members: [\"1\"]\n", 3, 5, "unknown key 'ringTimeout'")]
    [InlineData("queues:\n  - name: a\n    ringTimeoutSeconds: five\n    members: [\"1\"]\n", 3, 25, "must be a whole number")]
    [InlineData("queues:\n  - name: a\n    ringTimeoutSeconds: 0\n    members: [\"1\"]\n", 3, 25, "between 1 and")]
    [InlineData("queues:\n  - name: a\n    wrapUpSeconds: -1\n    members: [\"1\"]\n", 3, 20, "between 0 and")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n  - name: a\n    members: [\"2\"]\n", 4, 11, "defined twice")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: { queue: nowhere }\n", 4, 15, "unknown queue 'nowhere'")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: { queue: a }\n", 4, 15, "overflows to itself")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: { voicemail: x }\n", 4, 17, "unknown overflow kind")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    overflow: { queue: }\n", 4, 17, "needs a value")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\", \"1\"]\n", 3, 20, "listed twice")]
    [InlineData("queues:\n  - name: a\n    members: []\n", 2, 5, "has no members")]
    [InlineData("queues:\n  - members: [\"1\"]\n", 2, 5, "has no 'name'")]
    [InlineData("queues:\n  - name: a\n    members: [{ penalty: 2 }]\n", 3, 15, "needs an agent")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"]\n    priorityAging: { every: 5 }\n", 4, 22, "unknown key 'every'")]
    [InlineData("loginOnRegister: maybe\nqueues:\n  - name: a\n    members: [\"1\"]\n", 1, 18, "true or false")]
    [InlineData("queue:\n  - name: a\n", 1, 1, "unknown key 'queue'")]
    [InlineData("queues: sales\n", 1, 9, "must be a list")]
    [InlineData("queues:\n  - name: a\n    members: [\"1\"\n", 4, 1, "")]
    [InlineData("- a\n- b\n", 1, 1, "top level must be a mapping")]
    public void Bad_files_report_line_column_and_reason(string yaml, int line, int column, string fragment)
    {
        var ex = Assert.Throws<QueuesConfigException>(() => QueuesConfigLoader.Parse(yaml, "bad.yaml"));
        var error = ex.Errors[0];
        Assert.Equal("bad.yaml", error.File);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"bad.yaml:{line}:{column}: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var (config, errors) = QueuesConfigLoader.TryParse("queues:\n  - name: a\n    strategy: x\n    wrapUpSeconds: y\n    members: [\"1\"]\n");
        Assert.Null(config);
        Assert.Equal(2, errors.Count);
    }

    [Fact]
    public void Empty_file_and_missing_file_are_errors()
    {
        Assert.Contains("empty", Assert.Throws<QueuesConfigException>(() => QueuesConfigLoader.Parse("")).Message, StringComparison.Ordinal);
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.yaml");
        Assert.Equal(missing, Assert.Single(Assert.Throws<QueuesConfigException>(() => QueuesConfigLoader.LoadFile(missing)).Errors).File);
    }
}
