using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>The one service order of the scheduler and of a cluster queue's owner: head first, then effective priority
/// (aging from first arrival), then arrival, then sequence.</summary>
public sealed class QueueOrderKeyTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.FromUnixTimeMilliseconds(1_796_000_000_000);
    private static readonly PriorityAging Aging = new(TimeSpan.FromSeconds(60), 5);

    [Fact]
    public void Aging_lifts_a_long_wait_above_a_higher_base_until_the_boost_runs_out()
    {
        var now = T0.AddMinutes(4);
        var old = QueueOrderKey.Of(Aging, now, 0, T0, 1);          // 0 + 4
        var vip = QueueOrderKey.Of(Aging, now, 3, T0.AddMinutes(3), 2); // 3 + 1
        Assert.Equal((4, 4), (old.EffectivePriority, vip.EffectivePriority));
        Assert.True(QueueOrderKey.Compare(old, vip) < 0); // a tie: earlier arrival
        var emergency = QueueOrderKey.Of(Aging, now, 10, now, 3);
        Assert.True(QueueOrderKey.Compare(emergency, old) < 0); // the boost is capped at 5
        Assert.True(QueueOrderKey.Compare(QueueOrderKey.Of(PriorityAging.None, now, 0, T0, 1), QueueOrderKey.Of(PriorityAging.None, now, 3, now, 2)) > 0);
    }

    [Fact]
    public void Head_first_then_sequence_breaks_a_tie_of_the_same_instant()
    {
        var a = QueueOrderKey.Of(Aging, T0, 0, T0, 7);
        var b = QueueOrderKey.Of(Aging, T0, 0, T0, 8);
        Assert.True(QueueOrderKey.Compare(a, b) < 0);
        Assert.True(QueueOrderKey.Compare(b with { AtHead = true }, QueueOrderKey.Of(Aging, T0, 99, T0, 1)) < 0);
        Assert.Equal(0, QueueOrderKey.Compare(a, a));
    }
}
