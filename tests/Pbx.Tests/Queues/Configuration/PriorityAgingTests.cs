using FsCheck;
using FsCheck.Fluent;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues.Configuration;

public sealed class PriorityAgingTests
{
    private static readonly PriorityAging PerMinuteMax5 = new(TimeSpan.FromSeconds(60), 5);

    [Theory]
    [InlineData(0, 0)]
    [InlineData(59, 0)]
    [InlineData(60, 1)]
    [InlineData(119, 1)]
    [InlineData(120, 2)]
    [InlineData(299, 4)]
    [InlineData(300, 5)]
    [InlineData(86_400, 5)]
    public void Boost_is_one_per_interval_capped(int waitedSeconds, int boost) =>
        Assert.Equal(boost, PerMinuteMax5.Boost(TimeSpan.FromSeconds(waitedSeconds)));

    [Fact]
    public void Effective_priority_adds_the_boost_to_the_base()
    {
        Assert.Equal(7, PerMinuteMax5.EffectivePriority(5, TimeSpan.FromSeconds(150)));
        Assert.Equal(-1, PerMinuteMax5.EffectivePriority(-3, TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public void None_and_negative_waits_give_no_boost()
    {
        Assert.Equal(3, PriorityAging.None.EffectivePriority(3, TimeSpan.FromHours(5)));
        Assert.Equal(0, PerMinuteMax5.Boost(TimeSpan.FromSeconds(-30)));
    }

    [Fact]
    public void Effective_priority_saturates_instead_of_overflowing() =>
        Assert.Equal(int.MaxValue, new PriorityAging(TimeSpan.FromSeconds(1), 1000).EffectivePriority(int.MaxValue - 1, TimeSpan.FromHours(1)));

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Boost_is_monotonic_in_time_waited() =>
        Prop.ForAll(Gen.Choose(0, 100_000).Zip(Gen.Choose(0, 100_000)).ToArbitrary(), t =>
        {
            var (a, b) = t.Item1 <= t.Item2 ? (t.Item1, t.Item2) : (t.Item2, t.Item1);
            return PerMinuteMax5.Boost(TimeSpan.FromSeconds(a)) <= PerMinuteMax5.Boost(TimeSpan.FromSeconds(b))
                && PerMinuteMax5.Boost(TimeSpan.FromSeconds(b)) <= 5;
        });
}
