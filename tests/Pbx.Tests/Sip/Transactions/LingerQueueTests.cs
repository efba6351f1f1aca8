using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Tests.Sip.Transactions;

public class LingerQueueTests
{
    private sealed class Entry(string name, List<string> log) : IExpiring
    {
        public int Expired { get; private set; }

        public void Expire()
        {
            Expired++;
            log.Add(name);
        }
    }

    [Fact]
    public void Expires_each_entry_once_when_its_time_has_passed_never_before()
    {
        var time = new FakeTimeProvider();
        using var queue = new LingerQueue(time);
        var log = new List<string>();
        var timerL = new Entry("L", log);
        queue.Add(timerL, TimeSpan.FromSeconds(32));

        time.Advance(TimeSpan.FromSeconds(32) - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, timerL.Expired);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, timerL.Expired);
        Assert.Equal(0, queue.Count);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(1, timerL.Expired);
    }

    [Fact]
    public void Entries_added_out_of_order_expire_in_due_order_on_one_timer()
    {
        var time = new FakeTimeProvider();
        using var queue = new LingerQueue(time);
        var log = new List<string>();
        queue.Add(new Entry("J 32 s", log), TimeSpan.FromSeconds(32));
        time.Advance(TimeSpan.FromSeconds(1));
        queue.Add(new Entry("J 5 s", log), TimeSpan.FromSeconds(5)); // due earlier than the first: the timer is re-armed
        queue.Add(new Entry("now", log), TimeSpan.Zero);               // TCP: Timer J is zero
        queue.Add(new Entry("negative", log), TimeSpan.FromSeconds(-1));

        Assert.Equal(["now", "negative"], log);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["now", "negative", "J 5 s"], log);
        time.Advance(TimeSpan.FromSeconds(26));
        Assert.Equal(["now", "negative", "J 5 s", "J 32 s"], log);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Entries_due_within_the_coalescing_window_after_a_round_expire_together_late_by_at_most_that()
    {
        var time = new FakeTimeProvider();
        using var queue = new LingerQueue(time);
        var log = new List<string>();
        queue.Add(new Entry("a", log), TimeSpan.FromMilliseconds(100));
        queue.Add(new Entry("b", log), TimeSpan.FromMilliseconds(105));
        queue.Add(new Entry("c", log), TimeSpan.FromMilliseconds(400));

        time.Advance(TimeSpan.FromMilliseconds(100));
        Assert.Equal(["a"], log);
        time.Advance(TimeSpan.FromMilliseconds(LingerQueue.CoalesceMs - 1));
        Assert.Equal(["a"], log);                                      // b was due 5 ms after a: the next round is 20 ms after
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(["a", "b"], log);
        time.Advance(TimeSpan.FromMilliseconds(280));
        Assert.Equal(["a", "b", "c"], log);                            // exactly on time when nothing was due just before
    }

    [Fact]
    public void A_disposed_queue_expires_nothing_more_and_takes_nothing()
    {
        var time = new FakeTimeProvider();
        var queue = new LingerQueue(time);
        var log = new List<string>();
        queue.Add(new Entry("a", log), TimeSpan.FromSeconds(1));
        queue.Dispose();
        queue.Add(new Entry("b", log), TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Empty(log);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Many_entries_from_many_threads_each_expire_once()
    {
        var time = new FakeTimeProvider();
        using var queue = new LingerQueue(time);
        var log = new List<string>();
        var entries = Enumerable.Range(0, 2000).Select(i => new Entry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), [])).ToArray();
        Parallel.For(0, entries.Length, i => queue.Add(entries[i], TimeSpan.FromMilliseconds(1 + (i % 500))));
        for (int step = 0; step < 60; step++)
        {
            time.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.All(entries, e => Assert.Equal(1, e.Expired));
        Assert.Equal(0, queue.Count);
    }
}
