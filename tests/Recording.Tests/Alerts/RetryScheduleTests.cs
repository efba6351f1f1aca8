using Telephony.Recording.Alerts;

namespace Telephony.Recording.Tests.Alerts;

public class RetryScheduleTests
{
    [Fact]
    public void Default_doubles_from_5_seconds_up_to_an_hour()
    {
        int[] expectedSeconds = [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 3600, 3600];
        for (int attempt = 1; attempt <= expectedSeconds.Length; attempt++)
        {
            Assert.Equal(TimeSpan.FromSeconds(expectedSeconds[attempt - 1]), RetrySchedule.Default.NominalDelay(attempt));
        }

        Assert.Equal(TimeSpan.FromHours(1), RetrySchedule.Default.NominalDelay(1000)); // no overflow
    }

    [Theory]
    [InlineData(1, 0.0, 4.0)]
    [InlineData(1, 0.5, 5.0)]
    [InlineData(1, 0.75, 5.5)]
    [InlineData(3, 0.0, 16.0)]
    [InlineData(3, 0.999999, 24.0)]
    [InlineData(11, 0.0, 2880.0)]
    [InlineData(11, 0.999999, 3600.0)] // jitter never goes past the cap
    public void Jitter_is_plus_or_minus_20_percent_within_the_cap(int attempt, double random, double expectedSeconds)
    {
        Assert.Equal(expectedSeconds, RetrySchedule.Default.DelayFor(attempt, random).TotalSeconds, precision: 3);
    }

    [Fact]
    public void Without_jitter_delay_is_nominal()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), 0);
        Assert.Equal(TimeSpan.FromSeconds(8), schedule.DelayFor(4, 0.9));
        Assert.Equal(TimeSpan.FromSeconds(30), schedule.DelayFor(9, 0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => schedule.NominalDelay(0));
    }
}
