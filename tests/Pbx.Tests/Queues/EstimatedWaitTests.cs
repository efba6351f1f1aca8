using Telephony.Pbx.Queues;

namespace Telephony.Pbx.Tests.Queues;

public sealed class EstimatedWaitTests
{
    private static readonly TimeSpan Default = TimeSpan.FromSeconds(180);

    [Theory]
    [InlineData(1, 1, 180)]
    [InlineData(2, 1, 360)]
    [InlineData(1, 2, 180)]
    [InlineData(2, 2, 180)]
    [InlineData(3, 2, 360)]
    [InlineData(7, 3, 540)]
    public void Uses_default_handle_time_without_history(int position, int agents, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), EstimatedWait.Compute(position, agents, [], Default));

    [Fact]
    public void Averages_recent_handle_times()
    {
        TimeSpan[] recent = [TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(120)];
        Assert.Equal(TimeSpan.FromSeconds(90), EstimatedWait.AverageHandleTime(recent, Default));
        // ceil(5 / 2) = 3 rounds x 90 s.
        Assert.Equal(TimeSpan.FromSeconds(270), EstimatedWait.Compute(5, 2, recent, Default));
    }

    [Fact]
    public void Rounds_up_to_whole_seconds()
    {
        TimeSpan[] recent = [TimeSpan.FromMilliseconds(10_001), TimeSpan.FromMilliseconds(10_000)];
        Assert.Equal(TimeSpan.FromSeconds(11), EstimatedWait.Compute(1, 1, recent, Default));
    }

    [Fact]
    public void No_staffed_agent_means_no_estimate() => Assert.Null(EstimatedWait.Compute(1, 0, [], Default));

    [Fact]
    public void Position_must_be_one_based() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => EstimatedWait.Compute(0, 1, [], Default));
}
