using System.Collections.Concurrent;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Ivr;
using Telephony.Host.Surveys;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// The post-call survey in process (sample support queue, <c>survey: csat</c>): when the agent hangs up first the caller
/// stays on the server, hears the survey prompt and its keys give the score and the second answer; the server then
/// hangs up. A caller who hangs up in the survey leaves no score; a caller who hangs up first, or a queue without a
/// survey, gets none.
/// </summary>
public sealed class SurveyCallTests
{
    private readonly Surveys _surveys = new();

    [Fact]
    public async Task Agent_hangs_up_first_the_caller_rates_4_and_says_solved_then_the_server_hangs_up()
    {
        await using var pbx = await StartAsync();
        var (caller, agent) = await ConnectedAsync(pbx, '2');

        var rate = Sounds.Of("survey/rate").ToArray();
        await agent.Call.ByeAsync();
        await pbx.TickUntilAsync(() => caller.Media.Heard(rate), TimeSpan.FromSeconds(5),
            "the caller hears the survey");
        Assert.False(caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), "the caller stays for the survey");
        caller.Media.Digit('4');
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        caller.Media.Digit('1');
        await pbx.TickUntilAsync(() => caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(20),
            "the server hangs up after thanking");

        var result = await _surveys.OfAsync(caller.CallId);
        Assert.Equal(4, result.Score);
        Assert.Equal("csat", result.Flow);
        Assert.Equal("support", result.Queue);
        Assert.Equal("1001", result.Agent);
        Assert.Equal("1", result.Answers["solved"]);
        var ended = await caller.EndedAsync();
        Assert.Equal(CallOutcome.Answered, ended.Outcome);
        var call = await pbx.ApplicationCallAsync(caller.CallId);
        Assert.NotNull(call.DisconnectedAt); // talk time ends at the agent's BYE
    }

    [Fact]
    public async Task Caller_hanging_up_in_the_survey_leaves_no_score()
    {
        await using var pbx = await StartAsync();
        var (caller, agent) = await ConnectedAsync(pbx, '2');

        await agent.Call.ByeAsync();
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        await caller.Call.ByeAsync();

        var result = await _surveys.OfAsync(caller.CallId);
        Assert.Null(result.Score);
        Assert.Equal("caller_hangup", result.EndReason);
    }

    [Fact]
    public async Task Caller_hanging_up_first_gets_no_survey()
    {
        await using var pbx = await StartAsync();
        var (caller, agent) = await ConnectedAsync(pbx, '2');

        await caller.Call.ByeAsync();
        await agent.Phone.ExpectRequestAsync(SipMethod.Bye, agent.CallId);
        await caller.EndedAsync();
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.False(_surveys.Has(caller.CallId));
    }

    [Fact]
    public async Task A_queue_without_a_survey_ends_the_call_when_the_agent_hangs_up()
    {
        await using var pbx = await StartAsync();
        var (caller, agent) = await ConnectedAsync(pbx, '1', "1003"); // sales: no survey

        await agent.Call.ByeAsync();
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        Assert.False(_surveys.Has(caller.CallId));
    }

    private Task<InProcessPbx> StartAsync() =>
        InProcessPbx.StartCallCenterAsync(promises: new CallCenterPromises(null, _surveys, null));

    private static async Task<(Caller Caller, Answered Agent)> ConnectedAsync(InProcessPbx pbx, char digit, string agentExtension = "1001")
    {
        var phone = await pbx.RegisteredPhoneAsync(agentExtension);
        var caller = await pbx.QueuedCallerAsync(digit: digit);
        var agent = await pbx.AnswerAsync(phone, TimeSpan.FromSeconds(30));
        await pbx.TickAsync(TimeSpan.FromMilliseconds(500));
        return (caller, agent);
    }

    /// <summary>The survey results the call center hands over, by call.</summary>
    private sealed class Surveys : ISurveyRecorder
    {
        private readonly ConcurrentDictionary<string, TaskCompletionSource<SurveyResult>> _results = new(StringComparer.Ordinal);

        public void OnSurveyEnded(ApplicationCall call, SurveyResult result) => Of(call.Id).TrySetResult(result);

        public bool Has(string callId) => _results.TryGetValue(callId, out var r) && r.Task.IsCompleted;

        public Task<SurveyResult> OfAsync(string callId) => Of(callId).Task.WaitAsync(TimeSpan.FromSeconds(10));

        private TaskCompletionSource<SurveyResult> Of(string callId) =>
            _results.GetOrAdd(callId, _ => new TaskCompletionSource<SurveyResult>(TaskCreationOptions.RunContinuationsAsynchronously));
    }
}
