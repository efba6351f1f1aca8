using System.Runtime.CompilerServices;
using Telephony.Calls.Tests.InProcess;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Calls;

/// <summary>The test numbers in process: 9000 echo, 9001 prompt then BYE, 9002 prompt then echo.</summary>
public sealed class TestCallTests
{
    [Fact]
    public async Task Echo_9000_caller_hears_itself()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        caller.Media.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(440) > 0.9, caller.Media.Describe());
        caller.Media.Tone(1000);
        await pbx.TickAsync(TimeSpan.FromSeconds(0.5));
        Assert.True(caller.Media.ToneShare(1000) > 0.9, caller.Media.Describe());

        await caller.Call.ByeAsync();
        var ended = await caller.EndedAsync();
        Assert.Equal((CallOutcome.Answered, HangupSide.Caller), (ended.Outcome, ended.Side));
        Assert.Equal("test:Echo", pbx.Observer.Started.Single().Kind);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Prompt_9001_plays_the_prompt_then_byes()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9001");
        await pbx.TickUntilAsync(() => caller.Peer.Has(m => m is SipRequest { Method: SipMethod.Bye }), TimeSpan.FromSeconds(6),
            "BYE after the prompt");
        await caller.Peer.ExpectRequestAsync(SipMethod.Bye, caller.CallId);
        Assert.True(caller.Media.Heard(Sounds.Of("prompt-test")), "the caller hears the test prompt");
        var ended = await caller.EndedAsync();
        Assert.Equal(HangupSide.System, ended.Side);
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Bench_9002_plays_the_prompt_then_echoes()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9002");
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.Heard(Sounds.Of("bench-prompt")), "the bench prompt plays first");
        await pbx.TickAsync(TimeSpan.FromSeconds(8));
        caller.Media.Tone(440);
        await pbx.TickAsync(TimeSpan.FromSeconds(1));
        Assert.True(caller.Media.ToneShare(440) > 0.9, "then the caller hears itself: " + caller.Media.Describe());
        await caller.Call.ByeAsync();
        await pbx.NoCallsLeftAsync();
    }

    [Fact]
    public async Task Ended_call_lets_go_of_its_RtpSession_at_once_not_after_32_s()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var caller = await pbx.TrunkCallerAsync(number: "9000");
        await pbx.TickAsync(TimeSpan.FromSeconds(0.2));
        var session = MediaOf(pbx);

        await caller.Call.ByeAsync();
        await caller.EndedAsync();
        await pbx.NoCallsLeftAsync();
        await pbx.TickAsync(TimeSpan.FromSeconds(0.1)); // the media loop drops the closed session
        // The test's observer keeps every call it was told about; the server itself must keep none. At 1,000 setups/s
        // a call kept findable for 32 s (late requests) was 32,000 calls with their media and recordings held.
        pbx.Observer.Started.Clear();
        pbx.Observer.Answered.Clear();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Assert.False(session.IsAlive, "the ended call's RtpSession is still reachable");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference MediaOf(InProcessPbx pbx) =>
        new(pbx.Server.Calls.Calls.Single().Legs.Single().Media ?? throw new InvalidOperationException("no media"));

    [Fact]
    public async Task Prompt_file_missing_is_500()
    {
        await using var pbx = await InProcessPbx.StartAsync(configure: o => o.Numbers.PromptFile = "en/no-such-prompt.wav");
        var call = await pbx.Trunk().CallAsync("9001", Sdp.Audio("127.0.0.2", 30000));
        Assert.Equal(500, (await call.FinalAsync()).StatusCode);
        Assert.Equal(0, pbx.Server.Calls.ActiveCalls);
    }

    [Fact]
    public async Task Offer_without_a_common_codec_is_488()
    {
        await using var pbx = await InProcessPbx.StartAsync();
        var call = await pbx.Trunk().CallAsync("9000", Sdp.Audio("127.0.0.2", 30000, codecs: "18"));
        Assert.Equal(488, (await call.FinalAsync()).StatusCode);
        await pbx.NoCallsLeftAsync();
        Assert.Equal(CallOutcome.Failed, (await pbx.Observer.EndedAsync(call.Invite.CallId!)).Outcome);
    }
}
