using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

public class CallOutcomeStoreTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(CallOutcome.Answered, false)]
    [InlineData(CallOutcome.Abandoned, true)]
    [InlineData(CallOutcome.AbandonedInIvr, true)]
    [InlineData(CallOutcome.AbandonedInQueue, true)]
    [InlineData(CallOutcome.Overflowed, true)]
    [InlineData(CallOutcome.NoAgent, true)]
    [InlineData(CallOutcome.AfterHours, true)]
    [InlineData(CallOutcome.Failed, false)]
    [InlineData(CallOutcome.Interrupted, false)]
    [InlineData(CallOutcome.CompletedInIvr, false)] // the IVR said what it had to say (information line): no callback
    public void Missed_outcomes_are_those_that_never_reached_a_person(CallOutcome outcome, bool missed) =>
        Assert.Equal(missed, CallOutcomes.IsMissed(outcome));

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task Wait_of_an_abandon_is_stored_even_after_the_record_closed(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var calls = new CallStore(db.Database);
        await calls.StartAsync("q1", "+15550001", "08001234567", T0);
        Assert.True(await calls.SetQueueAsync("q1", "support", 0));
        Assert.True(await calls.EndAsync("q1", T0.AddSeconds(40), CallOutcome.AbandonedInQueue, null, null, "caller hung up", HangupSide.Caller));
        Assert.True(await calls.SetWaitAsync("q1", TimeSpan.FromSeconds(31.5)));
        CallRecord call = (await calls.GetAsync("q1"))!;
        Assert.Equal(TimeSpan.FromSeconds(31.5), call.Wait);
        Assert.Equal(CallOutcome.AbandonedInQueue, call.Outcome);
        Assert.False(await calls.SetWaitAsync("unknown", TimeSpan.FromSeconds(1)));
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task CompletedInIvr_round_trips_and_is_queryable(StorageProvider provider)
    {
        using TestDatabase db = await TestDatabase.CreateAsync(provider);
        var calls = new CallStore(db.Database);
        await calls.StartAsync("i1", "+15550001", "08001234567", T0);
        await calls.EndAsync("i1", T0.AddSeconds(9), CallOutcome.CompletedInIvr, null, null, "IVR hung up", HangupSide.System);
        Assert.Equal(["i1"], (await calls.QueryAsync(new CallQuery { Outcome = CallOutcome.CompletedInIvr })).Select(c => c.Id));
    }

    [Theory]
    [InlineData(QueueEventKind.Entered, "queue.entered")]
    [InlineData(QueueEventKind.AgentRung, "queue.agent_rung")]
    [InlineData(QueueEventKind.AgentNoAnswer, "queue.agent_no_answer")]
    [InlineData(QueueEventKind.Answered, "queue.answered")]
    [InlineData(QueueEventKind.Abandoned, "queue.abandoned")]
    [InlineData(QueueEventKind.Overflowed, "queue.overflowed")]
    [InlineData(QueueEventKind.Transferred, "queue.transferred")]
    public void Every_queue_event_kind_has_its_own_event_log_type(QueueEventKind kind, string type) =>
        Assert.Equal(type, EventTypes.Of(kind));
}
