using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>
/// <see cref="ApplicationCall"/> driven by a small test application (no IVR, no queues) in process: prompts, hold,
/// hang-up after a goodbye, reaching an extension, trunks it cannot use, an application that fails, REFER without
/// transfers, and an observer that throws.
/// </summary>
public sealed class ApplicationCallTests
{
    private const string Number = "7000";
    private static readonly IReadOnlyList<KeyValuePair<string, string>> Headers =
        QueueCallCoordinator.InteractionHeaders("test", null, 0, [], new Dictionary<string, string>());

    [Fact]
    public async Task No_application_behind_the_number_the_call_is_answered_and_hung_up()
    {
        await using var pbx = await InProcessPbx.StartAsync(new ScriptedApplication(Number, CallApplications.None.StartAsync));
        var caller = await pbx.ExtensionCallerAsync("1002", Number);
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        Assert.False(CallApplications.None.Answers(Number));
        Assert.False(CallApplications.NoTransfers.AcceptsTransfers);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Application_that_throws_on_start_the_caller_gets_bye()
    {
        await using var pbx = await InProcessPbx.StartAsync(new ScriptedApplication(Number,
            _ => throw new InvalidOperationException("broken application")));
        var caller = await pbx.ExtensionCallerAsync("1002", Number);
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Prompts_hold_music_barge_in_and_a_goodbye_before_bye()
    {
        var played = new TaskCompletionSource<ApplicationCall>();
        await using var pbx = await InProcessPbx.StartAsync(new ScriptedApplication(Number, call =>
        {
            played.SetResult(call);
            return ValueTask.CompletedTask;
        }));
        var welcome = Clip("ivr/welcome");
        var hold = Clip("queue/hold");
        var caller = await pbx.ExtensionCallerAsync("1002", Number);
        var call = await played.Task;

        var prompt = call.PlayAsync([welcome]);
        await pbx.TickUntilAsync(() => prompt.IsCompleted, TimeSpan.FromSeconds(5), "the welcome prompt ends");
        Assert.True(caller.Media.Heard(welcome.Samples.Span));
        call.StartHold(hold);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.Heard(hold.Samples.Span), "hold music");
        var stopped = call.PlayAsync([Clip("ivr/main-menu")]);
        await pbx.TickAsync(TimeSpan.FromSeconds(0.5));
        call.StopPlayback(); // barge-in
        await pbx.TickUntilAsync(() => stopped.IsCompleted, TimeSpan.FromSeconds(1), "the stopped prompt completes");
        var empty = call.PlayAsync([]);
        await pbx.TickUntilAsync(() => empty.IsCompleted, TimeSpan.FromSeconds(1), "an empty play completes");
        call.StopHold();
        call.DigitReceived += (_, _) => { };
        caller.Media.Digit('5');
        await pbx.TickUntilAsync(() => pbx.Observer.Digits.Any(d => d.Digit == '5'), TimeSpan.FromSeconds(1), "the digit arrives");

        Assert.True(call.SetProgress(CallOutcome.CompletedInIvr));
        Assert.False(call.SetProgress(CallOutcome.CompletedInIvr));
        call.Hangup(Clip("ivr/all-busy"), "done");
        await pbx.TickUntilAsync(() => caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(6),
            "BYE after the goodbye");
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/all-busy")));
        Assert.Equal("done", await call.Ended);
        Assert.Equal(CallOutcome.CompletedInIvr, (await caller.EndedAsync()).Outcome);
        await Assert.ThrowsAsync<InvalidOperationException>(() => call.PlayAsync([welcome]));
        Assert.Equal(RingOutcome.Rejected, await call.RingAgent("1001", Headers).Outcome);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Connect_to_an_extension_bridges_unregistered_fails_refer_without_transfers_is_405()
    {
        var started = new TaskCompletionSource<ApplicationCall>();
        await using var pbx = await InProcessPbx.StartAsync(new ScriptedApplication(Number, call =>
        {
            started.SetResult(call);
            return ValueTask.CompletedTask;
        }));
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.ExtensionCallerAsync("1002", Number);
        var call = await started.Task;

        Assert.False(await call.ConnectAsync("1004", Headers, TimeSpan.FromSeconds(5)));
        Assert.False(await call.ConnectTrunkAsync("no-such-trunk", "+4930123456", Headers, TimeSpan.FromSeconds(5)));
        Assert.False(await call.ConnectTrunkAsync(new TrunkOptions { Name = "inbound-only" }, "+4930123456", Headers, TimeSpan.FromSeconds(5)));

        var connecting = call.ConnectAsync("1001", Headers, TimeSpan.FromSeconds(30));
        var answered = await pbx.AnswerAsync(agent, await pbx.RingingAsync(agent), bridged: false);
        Assert.True(await connecting);
        Assert.Equal("test", answered.Header("X-Telephony-Interaction"));
        await InProcessPbx.WaitUntilAsync(() => call.ConnectedAt is not null && call.BridgedAgent is not null, "bridged");
        caller.Media.Tone(440);
        answered.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(answered.Media.ToneShare(440) > 0.7, answered.Media.Describe());
        Assert.True(caller.Media.ToneShare(1000) > 0.7, caller.Media.Describe());
        Assert.NotNull(call.GetSupervisionTarget());

        var refer = answered.Call.SendInDialog(SipMethod.Refer, r => r.Headers.Add(HeaderName.ReferTo, "<sip:1002@10.0.0.1>"));
        Assert.Equal(405, (await agent.ExpectResponseAsync(refer, final: true)).StatusCode);
        await caller.Call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        Assert.True(call.CallerHungUp);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Connect_times_out_the_extension_gets_cancel_and_an_unwanted_answer_is_released()
    {
        var started = new TaskCompletionSource<ApplicationCall>();
        await using var pbx = await InProcessPbx.StartAsync(new ScriptedApplication(Number, call =>
        {
            started.SetResult(call);
            return ValueTask.CompletedTask;
        }));
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.ExtensionCallerAsync("1002", Number);
        var call = await started.Task;

        var connecting = call.ConnectAsync("1001", Headers, TimeSpan.FromSeconds(5));
        var ring = await pbx.RingingAsync(agent);
        ring.Ring();
        await pbx.AdvanceAsync(TimeSpan.FromSeconds(5.5));
        Assert.False(await connecting);
        await agent.ExpectRequestAsync(SipMethod.Cancel, ring.Invite.CallId);

        var leg = call.RingAgent("1001", Headers);
        var answered = await pbx.AnswerAsync(agent, await pbx.RingingAsync(agent), bridged: false);
        Assert.Equal(RingOutcome.Answered, await leg.Outcome);
        call.Release(leg); // answered but not wanted: BYE
        await agent.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task An_observer_that_throws_does_not_break_calls()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        pbx.Observer.Throws = true;
        var agent = await pbx.RegisteredPhoneAsync("1001");
        var caller = await pbx.QueuedCallerAsync();
        var answered = await pbx.AnswerAsync(agent);
        await caller.Call.ByeAsync();
        await agent.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
    }

    private static AudioClip Clip(string id) =>
        AudioClip.LoadWav(Path.Combine(AppContext.BaseDirectory, "sounds", "en", id + ".wav"));
}
