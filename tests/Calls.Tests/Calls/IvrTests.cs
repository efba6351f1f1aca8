using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>The sample IVR tree's own endings in process: after hours, the caller leaving in the greeting, no input.</summary>
public sealed class IvrTests
{
    [Fact]
    public async Task After_hours_caller_hears_the_closed_message_and_the_voicemail_greeting_hangs_up_AfterHours()
    {
        var evening = new DateTimeOffset(2026, 11, 24, 20, 0, 0, TimeSpan.Zero); // 21:00 in Berlin
        await using var pbx = await InProcessPbx.StartCallCenterAsync(startAt: evening);
        var caller = await pbx.TrunkCallerAsync();
        var offer = Sounds.Of("voicemail/after-hours").ToArray();
        await pbx.TickUntilAsync(() => caller.Media.Heard(offer), TimeSpan.FromSeconds(20), "the voicemail greeting after the closed message");
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/welcome")), "the greeting plays first");
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/closed")), "then the closed message");
        Assert.Equal(200, (await caller.Call.ByeAsync()).StatusCode);

        var ended = await caller.EndedAsync();
        Assert.Equal(CallOutcome.AfterHours, ended.Outcome);
        Assert.Equal(HangupSide.Caller, ended.Side);
        Assert.Empty(caller.QueueEvents);
        await InProcessPbx.WaitUntilAsync(() => pbx.Observer.Progress.Any(p => p.Call.Id == caller.CallId &&
            p.Progress.Path.Contains("after-hours")), "the IVR path reaches after-hours");
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Caller_hangs_up_in_the_greeting_AbandonedInIvr()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync();
        var caller = await pbx.TrunkCallerAsync();
        await pbx.TickAsync(TimeSpan.FromSeconds(1));

        Assert.Equal(200, (await caller.Call.ByeAsync()).StatusCode);
        var ended = await caller.EndedAsync();
        Assert.Equal(CallOutcome.AbandonedInIvr, ended.Outcome);
        Assert.Equal(HangupSide.Caller, ended.Side);
        Assert.True(ended.Answered);
        Assert.Empty(caller.QueueEvents);
        await InProcessPbx.WaitUntilAsync(() => pbx.Observer.Progress.Any(p => p.Call.Id == caller.CallId &&
            p.Progress.EndReason is not null), "the IVR reports how it ended");
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task No_input_in_the_menu_three_times_goes_to_the_operator_queue()
    {
        await using var pbx = await InProcessPbx.StartCallCenterAsync(o => o.Rtp.TimeoutSeconds = 0);
        var operatorPhone = await pbx.RegisteredPhoneAsync("1004");
        var caller = await pbx.TrunkCallerAsync();
        // welcome (3 s) + three times the menu (11 s) and its 5 s timeout, with the no-input prompt (2 s) between.
        var answered = await pbx.AnswerAsync(operatorPhone, TimeSpan.FromSeconds(70));
        Assert.Equal("operator", answered.Header("X-Telephony-Queue"));
        Assert.True(caller.Media.Heard(Sounds.Of("ivr/no-input")), "the caller hears the no-input prompt");

        await caller.Call.ByeAsync();
        await operatorPhone.ExpectRequestAsync(SipMethod.Bye, answered.CallId);
        Assert.Equal(CallOutcome.Answered, (await caller.EndedAsync()).Outcome);
        await pbx.NoCallsLeftAsync();
    }
}
