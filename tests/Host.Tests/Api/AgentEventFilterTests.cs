using Telephony.Host.Api;
using Telephony.Recording.Storage;

namespace Telephony.Host.Tests.Api;

public class AgentEventFilterTests
{
    private static long _sequence;

    private static StoredEvent E(string type, string? callId, string payload) =>
        new() { Sequence = ++_sequence, Type = type, CallId = callId, Payload = payload };

    [Fact]
    public void An_agent_sees_its_queue_calls_from_the_ring_on_and_nothing_of_other_calls()
    {
        var filter = new AgentEventFilter("1001");
        (StoredEvent Event, bool Expected)[] stream =
        [
            (E(EventTypes.CallStarted, "c1", """{"callId":"c1","caller":"+15550001","dialed":"08001234567"}"""), false),
            (E(EventTypes.IvrProgress, "c1", """{"callId":"c1","path":"greeting menu"}"""), false),
            (E(EventTypes.QueueEntered, "c1", """{"callId":"c1","queue":"support","agent":null}"""), false),
            (E(EventTypes.QueueAgentRung, "c1", """{"callId":"c1","queue":"support","agent":"1001"}"""), true),
            (E(EventTypes.QueueAnswered, "c1", """{"callId":"c1","queue":"support","agent":"1001"}"""), true),
            (E(EventTypes.RecordingCompleted, "c1", """{"callId":"c1"}"""), true),
            (E(EventTypes.CallEnded, "c1", """{"callId":"c1"}"""), true),
            (E(EventTypes.QueueAgentRung, "c2", """{"callId":"c2","queue":"support","agent":"1002"}"""), false),
            (E(EventTypes.CallEnded, "c2", """{"callId":"c2"}"""), false),
        ];

        Assert.All(stream, s => Assert.Equal(s.Expected, filter.Allows(s.Event)));
    }

    [Fact]
    public void An_agent_sees_extension_calls_it_places_or_receives_and_its_own_state()
    {
        var filter = new AgentEventFilter("1001");
        Assert.True(filter.Allows(E(EventTypes.CallStarted, "x1", """{"callId":"x1","caller":"1001","dialed":"1002"}""")));
        Assert.True(filter.Allows(E(EventTypes.CallAnswered, "x1", """{"callId":"x1"}""")));
        Assert.True(filter.Allows(E(EventTypes.CallStarted, "x2", """{"callId":"x2","caller":"1003","dialed":"1001"}""")));
        Assert.False(filter.Allows(E(EventTypes.CallStarted, "x3", """{"callId":"x3","caller":"1003","dialed":"1002"}""")));
        Assert.True(filter.Allows(E(EventTypes.AgentState, null, """{"agent":"1001","state":"Paused"}""")));
        Assert.False(filter.Allows(E(EventTypes.AgentState, null, """{"agent":"1002","state":"Paused"}""")));
    }

    [Fact]
    public void Alerts_and_supervision_never_reach_an_agent_even_on_its_own_call()
    {
        var filter = new AgentEventFilter("1001");
        Assert.True(filter.Allows(E(EventTypes.QueueAnswered, "c1", """{"callId":"c1","agent":"1001"}""")));
        Assert.False(filter.Allows(E("supervision.started", "c1", """{"callId":"c1","supervisor":"2001","agent":"1001"}""")));
        Assert.False(filter.Allows(E(EventTypes.AlertCreated, "c1", """{"callId":"c1","agent":"1001"}""")));
        Assert.False(filter.Allows(E(EventTypes.RecordingFailed, null, "not json")));
    }

    [Fact]
    public void Only_the_most_recent_calls_are_remembered()
    {
        var filter = new AgentEventFilter("1001");
        for (int i = 0; i <= AgentEventFilter.MaxCalls; i++)
        {
            filter.Allows(E(EventTypes.QueueAnswered, "c" + i, """{"agent":"1001"}"""));
        }

        Assert.False(filter.Allows(E(EventTypes.CallEnded, "c0", "{}")));
        Assert.True(filter.Allows(E(EventTypes.CallEnded, "c" + AgentEventFilter.MaxCalls, "{}")));
    }
}
