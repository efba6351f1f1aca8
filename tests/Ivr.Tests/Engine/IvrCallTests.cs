using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Engine;

namespace Telephony.Ivr.Tests.Engine;

public sealed class IvrCallTests
{
    private const string MenuFlow = """
        flows:
          t:
            numbers: ["100"]
            start: welcome
            on_error: sorry
            nodes:
              welcome: { type: play, prompt: hello, barge_in: true, next: menu }
              menu:
                type: menu
                prompt: menu
                options: { "1": one, "2": two }
                operator: { digit: "0", next: person }
                timeout: 4s
                retries: 2
                invalid_prompt: invalid
                no_input_prompt: silence
                events: { timeout: gave-up, invalid: wrong }
              one: { type: hangup, prompt: bye1 }
              two: { type: transfer, to: "1001", failed: sorry }
              person: { type: queue, queue: operator, priority: 3, max_wait: 1m, overflow: sorry }
              gave-up: { type: hangup, prompt: nobody }
              wrong: { type: hangup, prompt: wrong }
              sorry: { type: hangup, prompt: sorry }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingChannel _channel = new();

    private IvrCall Start(string yaml = MenuFlow, string caller = "+15550000002")
    {
        var call = new IvrCall(FlowText.Load(yaml), _channel, caller, "100", _time);
        call.Start();
        return call;
    }

    /// <summary>The result of a call that must have ended already (the engine completes synchronously here).</summary>
    internal static IvrCallResult Ended(IvrCall call)
    {
        Assert.True(call.Completion.IsCompleted, $"call still in {call.CurrentNode}");
        return call.Completion.Result;
    }

    [Fact]
    public void Prompt_finishes_then_menu_digit_selects_option()
    {
        var call = Start();
        Assert.Equal("welcome", call.CurrentNode);
        _channel.FinishPrompt();
        Assert.Equal("menu", call.CurrentNode);
        _channel.FinishPrompt();
        call.OnDigit('1');
        Assert.Equal(IvrEndReason.Hangup, Ended(call).Reason);
        Assert.Equal(["play hello barge-in", "play menu barge-in", "hangup bye1"], _channel.Actions);
        Assert.Equal(["welcome", "menu", "one"], call.Interaction.Path);
    }

    [Fact]
    public void Barge_in_digit_stops_the_menu_prompt()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('1');
        Assert.Equal(["play hello barge-in", "play menu barge-in", "stop", "hangup bye1"], _channel.Actions);
        Assert.True(call.IsEnded);
    }

    [Fact]
    public void Digit_during_greeting_is_kept_for_the_menu()
    {
        var call = Start();
        call.OnDigit('1');
        Assert.Equal(["play hello barge-in", "stop", "hangup bye1"], _channel.Actions);
        Assert.Equal(["welcome", "menu", "one"], call.Interaction.Path);
    }

    [Fact]
    public void Digit_during_a_non_barge_in_prompt_is_ignored()
    {
        var call = Start(MenuFlow.Replace("barge_in: true", "barge_in: false"));
        call.OnDigit('1');
        Assert.Equal("welcome", call.CurrentNode);
        Assert.Equal(["play hello"], _channel.Actions);
    }

    [Fact]
    public void Silence_replays_with_no_input_prompt_then_takes_timeout_path()
    {
        var call = Start();
        _channel.FinishPrompt();
        _channel.FinishPrompt();
        _time.Advance(TimeSpan.FromSeconds(3.9));
        Assert.Equal(2, _channel.Actions.Count);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("play silence+menu barge-in", _channel.Actions[^1]);
        _channel.FinishPrompt();
        _time.Advance(TimeSpan.FromSeconds(4));
        _channel.FinishPrompt();
        _time.Advance(TimeSpan.FromSeconds(4));
        Assert.Equal("hangup nobody", _channel.Actions[^1]);
        Assert.Equal("gave-up", Ended(call).LastNode);
    }

    [Fact]
    public void Timer_does_not_run_while_the_prompt_plays()
    {
        var call = Start();
        _channel.FinishPrompt();
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("menu", call.CurrentNode);
        Assert.Equal(2, _channel.Actions.Count);
    }

    [Fact]
    public void Wrong_digits_replay_with_invalid_prompt_then_take_invalid_path()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('7');
        Assert.Equal("play invalid+menu barge-in", _channel.Actions[^1]);
        call.OnDigit('8');
        call.OnDigit('9');
        Assert.Equal("hangup wrong", _channel.Actions[^1]);
        Assert.Equal(IvrEndReason.Hangup, Ended(call).Reason);
    }

    [Fact]
    public void Invalid_then_valid_digit_recovers()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('7');
        call.OnDigit('1');
        Assert.Equal("one", Ended(call).LastNode);
    }

    [Fact]
    public void Operator_digit_reaches_a_person_with_data()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('7');
        call.OnDigit('0');
        Assert.Equal("enqueue operator 3", _channel.Actions[^1]);
        Assert.Equal(["welcome", "menu", "person"], _channel.LastQueueRequest!.Interaction.Path);
        Assert.Equal(TimeSpan.FromMinutes(1), _channel.LastQueueRequest.MaxWait);
        Assert.True(_channel.LastQueueRequest.HasOverflow);
        _channel.Queue!.SetResult(IvrQueueOutcome.Answered);
        Assert.Equal(IvrEndReason.Answered, Ended(call).Reason);
    }

    [Fact]
    public void Queue_overflow_continues_at_overflow_node()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('0');
        _channel.Queue!.SetResult(IvrQueueOutcome.Overflow);
        Assert.Equal("hangup sorry", _channel.Actions[^1]);
    }

    [Fact]
    public void Caller_hangup_while_queued_is_reported_and_late_queue_result_ignored()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('0');
        call.OnHangup();
        _channel.Queue!.SetResult(IvrQueueOutcome.Overflow);
        Assert.Equal(IvrEndReason.CallerHangup, Ended(call).Reason);
        Assert.Equal("enqueue operator 3", _channel.Actions[^1]);
    }

    [Fact]
    public void Transfer_failure_takes_failed_path_and_success_ends_the_ivr()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('2');
        Assert.Equal("transfer 1001", _channel.Actions[^1]);
        _channel.Transfer!.SetResult(IvrTransferOutcome.Failed);
        Assert.Equal("hangup sorry", _channel.Actions[^1]);

        var second = new RecordingChannel();
        var other = new IvrCall(call.Flow, second, "x", "100", _time);
        other.Start();
        second.FinishPrompt();
        other.OnDigit('2');
        second.Transfer!.SetResult(IvrTransferOutcome.Connected);
        Assert.Equal(IvrEndReason.Transferred, Ended(other).Reason);
    }

    [Fact]
    public void Playback_failure_takes_the_error_path()
    {
        var call = Start();
        _channel.Playback!.SetException(new FileNotFoundException("hello.wav missing"));
        Assert.Equal("hangup sorry", _channel.Actions[^1]);
        Assert.Equal(["welcome", "sorry"], call.Interaction.Path);
    }

    [Fact]
    public void Stale_prompt_completion_after_barge_in_is_ignored()
    {
        var call = Start(MenuFlow.Replace("\"2\": two", "\"2\": two, \"3\": again").Replace("one: {", "again: { type: play, prompt: p2, next: one }\n      one: {"));
        _channel.FinishPrompt();
        var menuPrompt = _channel.Playback!;
        call.OnDigit('3');
        Assert.Equal("again", call.CurrentNode);
        menuPrompt.TrySetResult(); // the stopped prompt reports late: must not finish "again"
        Assert.Equal("again", call.CurrentNode);
    }

    [Fact]
    public void Unhandled_trigger_is_ignored_not_thrown()
    {
        var call = Start();
        _channel.FinishPrompt();
        call.OnDigit('0');
        call.OnDigit('5'); // a key pressed while queued
        Assert.Equal("person", call.CurrentNode);
        Assert.False(call.IsEnded);
    }
}
