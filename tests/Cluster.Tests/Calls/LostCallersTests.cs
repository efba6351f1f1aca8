using Telephony.Cluster.Calls;

namespace Telephony.Cluster.Tests.Calls;

/// <summary>What a survivor makes of a dead node's calls: the waiting callers in service order, the numbers it can call.</summary>
public sealed class LostCallersTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static ClusterCall Waiting(string id, int priority, int enteredSeconds, long entry) =>
        new(id, "node-a", "+15550001", "0800", T0, "support", priority, T0.AddSeconds(enteredSeconds), entry);

    [Fact]
    public void Waiting_callers_come_back_by_priority_then_entry_time_then_entry_sequence_and_talking_calls_are_left_out()
    {
        ClusterCall[] orphans =
        [
            new("talking", "node-a", "+15550009", "0800", T0),
            Waiting("late", 0, 30, 4),
            Waiting("same-time-second", 0, 10, 3),
            Waiting("vip", 5, 40, 5),
            Waiting("same-time-first", 0, 10, 2),
            Waiting("early", 0, 5, 9),
        ];
        Assert.Equal(["vip", "early", "same-time-first", "same-time-second", "late"],
            LostCallers.WaitingInOrder(orphans).Select(c => c.CallId));
    }

    [Fact]
    public void Not_waiting_calls_sort_after_waiting_ones()
    {
        var list = new List<ClusterCall> { new("talking", "node-a", null, null, T0), Waiting("w", 0, 1, 1) };
        list.Sort(ClusterCall.CompareWaitingOrder);
        Assert.Equal(["w", "talking"], list.Select(c => c.CallId));
    }

    [Theory]
    [InlineData("+15550001234", "+15550001234")]
    [InlineData(" 08001234567 ", "08001234567")]
    [InlineData("1003", "1003")]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("anonymous", null)]
    [InlineData("+", null)]
    [InlineData("+1555-000", null)]
    [InlineData("123456789012345678901", null)]
    public void Callback_number_is_digits_with_an_optional_plus(string? caller, string? expected) =>
        Assert.Equal(expected, LostCallers.CallbackNumberOf(caller));

    [Fact]
    public void Callback_id_is_stable_per_call() =>
        Assert.Equal(LostCallers.CallbackIdOf("abc"), LostCallers.CallbackIdOf("abc"));
}
