using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>The invariant check switch: every step by default (tests), sampled in the server's service, never with 0.</summary>
public class QueueSchedulerInvariantIntervalTests
{
    [Fact]
    public void A_scheduler_checks_every_step_by_default_and_the_bool_switch_maps_to_the_interval()
    {
        var config = new QueuesConfig { Queues = [QueueHarness.Queue("support", QueueStrategy.RingAll, "1001")] };
        Assert.Equal(1, new QueueScheduler(config).InvariantCheckInterval);
        Assert.True(new QueueScheduler(config).CheckInvariantsAfterEachStep);
        Assert.Equal(0, new QueueScheduler(config) { CheckInvariantsAfterEachStep = false }.InvariantCheckInterval);
        Assert.False(new QueueScheduler(config) { InvariantCheckInterval = QueueScheduler.ProductionInvariantCheckInterval }.CheckInvariantsAfterEachStep);
        Assert.Throws<ArgumentOutOfRangeException>(() => new QueueScheduler(config) { InvariantCheckInterval = -1 });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(QueueScheduler.ProductionInvariantCheckInterval)]
    public void A_sampled_scheduler_runs_the_same_steps(int interval)
    {
        var config = new QueuesConfig { Queues = [QueueHarness.Queue("support", QueueStrategy.RingAll, "1001")] };
        var checkedEveryStep = new QueueScheduler(config);
        var sampled = new QueueScheduler(config) { InvariantCheckInterval = interval };
        for (int i = 0; i < 20; i++)
        {
            Assert.Equal(checkedEveryStep.Tick().Count, sampled.Tick().Count);
        }

        sampled.CheckInvariants();
    }
}
