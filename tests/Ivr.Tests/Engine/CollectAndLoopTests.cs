using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Engine;
using static Telephony.Ivr.Tests.Engine.IvrCallTests;

namespace Telephony.Ivr.Tests.Engine;

public sealed class CollectAndLoopTests
{
    private const string CollectFlow = """
        flows:
          t:
            numbers: ["1"]
            start: account
            on_error: sorry
            on_end:
              - set: { done: "yes" }
              - when: { var: end_reason, equals: caller_hangup }
                tags: [abandoned]
                log: caller left
              - when: { var: end_reason, equals: hangup }
                tags: [completed]
            nodes:
              account:
                type: collect
                prompt: enter
                variable: account
                min_length: 4
                max_length: 6
                terminator: "#"
                timeout: 5s
                digit_timeout: 2s
                pattern: "^[1-9]"
                retries: 1
                invalid_prompt: bad
                next: thanks
                events: { timeout: nobody, invalid: wrong }
              thanks: { type: hangup, prompt: thanks }
              nobody: { type: hangup, prompt: nobody }
              wrong: { type: hangup, prompt: wrong }
              sorry: { type: hangup, prompt: sorry }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingChannel _channel = new() { InstantPrompts = true };

    private IvrCall Start(string yaml = CollectFlow)
    {
        var call = new IvrCall(FlowText.Load(yaml), _channel, "c", "1", _time);
        call.Start();
        return call;
    }

    private static void Press(IvrCall call, string digits)
    {
        foreach (var d in digits)
        {
            call.OnDigit(d);
        }
    }

    [Fact]
    public void Terminator_ends_collection_and_sets_the_variable()
    {
        var call = Start();
        Press(call, "1234#");
        var result = Ended(call);
        Assert.Equal("thanks", result.LastNode);
        Assert.Equal("1234", result.Interaction.Variables["account"]);
    }

    [Fact]
    public void Max_length_ends_collection_without_terminator()
    {
        var call = Start();
        Press(call, "123456");
        Assert.Equal("123456", Ended(call).Interaction.Variables["account"]);
    }

    [Fact]
    public void Inter_digit_timeout_ends_collection()
    {
        var call = Start();
        Press(call, "12345");
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(call.IsEnded);
        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.Equal("12345", Ended(call).Interaction.Variables["account"]);
    }

    [Fact]
    public void Too_short_or_pattern_mismatch_is_invalid_then_retried_then_invalid_path()
    {
        var call = Start();
        Press(call, "12#");
        Assert.Equal("play bad+enter barge-in", _channel.Actions[^1]);
        Press(call, "0123#");
        var result = Ended(call);
        Assert.Equal("wrong", result.LastNode);
        Assert.False(result.Interaction.Variables.ContainsKey("account"));
    }

    [Fact]
    public void Silence_retries_then_timeout_path()
    {
        var call = Start();
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("play enter barge-in", _channel.Actions[^1]);
        Assert.Equal(2, _channel.Actions.Count);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("nobody", Ended(call).LastNode);
    }

    [Fact]
    public void End_handlers_run_on_every_ending_with_end_reason()
    {
        var hungUp = Start();
        Press(hungUp, "12");
        hungUp.OnHangup();
        var first = Ended(hungUp);
        Assert.Equal(IvrEndReason.CallerHangup, first.Reason);
        Assert.Equal(["abandoned"], first.Interaction.Tags);
        Assert.Equal("yes", first.Interaction.Variables["done"]);
        Assert.Equal("caller_hangup", first.Interaction.Variables["end_reason"]);
        Assert.Equal("account", first.Interaction.Variables["last_node"]);

        var completed = new IvrCall(hungUp.Flow, new RecordingChannel { InstantPrompts = true }, "c", "1", _time);
        completed.Start();
        Press(completed, "1234#");
        Assert.Equal(["completed"], Ended(completed).Interaction.Tags);
    }

    [Fact]
    public void Hangup_before_start_still_runs_handlers()
    {
        var call = new IvrCall(FlowText.Load(CollectFlow), _channel, "c", "1", _time);
        call.OnHangup();
        Assert.Equal(IvrEndReason.CallerHangup, Ended(call).Reason);
        Assert.Empty(_channel.Actions);
    }

    [Fact]
    public void Max_visits_breaks_a_menu_loop_through_the_error_path()
    {
        var call = Start("""
            flows:
              t:
                numbers: ["1"]
                start: menu
                max_visits: 3
                on_error: sorry
                nodes:
                  menu:
                    type: menu
                    prompt: menu
                    options: { "1": info, "2": bye }
                    events: { timeout: bye, invalid: bye }
                  info: { type: play, prompt: info, next: menu }
                  bye: { type: hangup }
                  sorry: { type: hangup, prompt: sorry }
            """);
        Press(call, "1111");
        var result = Ended(call);
        Assert.Equal("sorry", result.LastNode);
        Assert.Equal(["menu", "info", "menu", "info", "menu", "info", "menu", "sorry"], result.Interaction.Path);
        Assert.Equal(IvrEndReason.Hangup, result.Reason);
    }

    [Fact]
    public void Max_visits_on_the_error_node_itself_hangs_up()
    {
        _channel.InstantPrompts = false;
        var call = Start("""
            flows:
              t:
                numbers: ["1"]
                start: menu
                on_error: retry
                nodes:
                  menu:
                    type: menu
                    prompt: menu
                    options: { "1": bye }
                    events: { timeout: bye, invalid: bye }
                  retry: { type: play, prompt: oops, next: menu, max_visits: 2 }
                  bye: { type: hangup }
            """);
        var failures = 0;
        while (!call.IsEnded && failures < 10)
        {
            _channel.Playback!.SetException(new IOException("leg gone"));
            failures++;
        }
        var result = Ended(call);
        Assert.Equal(IvrEndReason.Error, result.Reason);
        Assert.Equal("hangup", _channel.Actions[^1]);
        Assert.True(failures <= 4, $"{failures} failures");
    }

    [Fact]
    public void Missing_error_path_hangs_up_with_error_reason()
    {
        var call = Start("""
            flows:
              t:
                numbers: ["1"]
                start: q
                nodes:
                  q: { type: queue, queue: support, events: { error: bye } }
                  bye: { type: hangup }
            """);
        Assert.Equal("enqueue support 0", _channel.Actions[^1]);
        _channel.Queue!.SetResult(IvrQueueOutcome.Overflow); // no overflow path: error path
        Assert.Equal("bye", Ended(call).LastNode);
    }

    [Fact]
    public void Set_node_priority_and_tags_reach_the_queue()
    {
        var call = Start("""
            flows:
              t:
                numbers: ["1"]
                start: s
                on_error: bye
                nodes:
                  s: { type: set, priority: 7, tags: [a, b], variables: { lang: de }, next: g }
                  g: { type: goto, target: q }
                  q: { type: queue, queue: support }
                  bye: { type: hangup }
            """);
        var request = _channel.LastQueueRequest!;
        Assert.Equal(7, request.Priority);
        Assert.Null(request.MaxWait);
        Assert.False(request.HasOverflow);
        Assert.Equal(["a", "b"], request.Interaction.Tags);
        Assert.Equal("de", request.Interaction.Variables["lang"]);
        Assert.Equal(["s", "g", "q"], request.Interaction.Path);
        Assert.Equal(7, call.Interaction.Priority);
    }
}
