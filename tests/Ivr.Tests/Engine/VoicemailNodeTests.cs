using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Tests.Engine;

/// <summary>The voicemail node: greeting, beep, record until # / silence / maximum length, review, confirmation.</summary>
public sealed class VoicemailNodeTests
{
    private const string Flow = """
        flows:
          t:
            numbers: ["100"]
            start: vm
            on_error: sorry
            nodes:
              vm:
                type: voicemail
                mailbox: support
                prompt: leave
                max_length: 30s
                silence: 4s
                review_prompt: review
                review_timeout: 3s
                saved_prompt: saved
                empty_prompt: nothing
                max_attempts: 2
              sorry: { type: hangup, prompt: sorry }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly VoicemailChannel _channel = new();

    private IvrCall Start(string yaml = Flow)
    {
        var call = new IvrCall(FlowText.Load(yaml), _channel, "+15550000002", "100", _time, callId: "c1");
        call.Start();
        return call;
    }

    [Fact]
    public void Greeting_beep_record_until_the_finish_key_review_timeout_keeps_then_hangs_up_without_a_next()
    {
        var call = Start();
        _channel.FinishPrompt(); // greeting
        _channel.FinishPrompt(); // beep
        var request = Assert.IsType<IvrRecordRequest>(_channel.Request);
        Assert.Equal(("support", TimeSpan.FromSeconds(30), (TimeSpan?)TimeSpan.FromSeconds(4)), (request.Mailbox, request.MaxLength, request.Silence));
        Assert.Equal("c1", request.Interaction.CallId);
        call.OnDigit('5'); // other keys are part of the message
        call.OnDigit('#');
        Assert.Equal(1, _channel.Stops);
        _channel.Finish(TimeSpan.FromSeconds(6), IvrRecordingEnd.Stopped);
        _channel.FinishPrompt(); // review prompt
        _time.Advance(TimeSpan.FromSeconds(3));
        _channel.FinishPrompt(); // saved
        var result = IvrCallTests.Ended(call);
        Assert.Equal(IvrEndReason.Hangup, result.Reason);
        Assert.Equal(["play leave barge-in", "play voicemail/beep", "record support", "stop", "play review barge-in", "save rec-1",
            "play saved", "hangup"], _channel.Actions);
        Assert.Equal("rec-1", result.Interaction.Variables["voicemail"]);
        Assert.Equal("support", result.Interaction.Variables["voicemail_mailbox"]);
    }

    [Fact]
    public void A_key_skips_the_greeting_and_2_records_again_until_the_attempts_run_out()
    {
        var call = Start();
        call.OnDigit('1'); // skips the greeting
        _channel.FinishPrompt(); // beep
        _channel.Finish(TimeSpan.FromSeconds(9), IvrRecordingEnd.Silence);
        call.OnDigit('2'); // record again (attempt 2 of 2)
        _channel.FinishPrompt(); // beep
        _channel.Finish(TimeSpan.FromSeconds(7), IvrRecordingEnd.Silence);
        call.OnDigit('2'); // no attempt left: kept
        _channel.FinishPrompt(); // saved
        Assert.Equal(IvrEndReason.Hangup, IvrCallTests.Ended(call).Reason);
        Assert.Equal(["play leave barge-in", "stop", "play voicemail/beep", "record support", "play review barge-in", "stop",
            "discard rec-1", "play voicemail/beep", "record support", "play review barge-in", "stop", "save rec-2", "play saved",
            "hangup"], _channel.Actions);
    }

    [Fact]
    public void Maximum_length_stops_the_recording()
    {
        var call = Start();
        _channel.FinishPrompt();
        _channel.FinishPrompt();
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, _channel.Stops);
        _channel.Finish(TimeSpan.FromSeconds(30), IvrRecordingEnd.Stopped);
        call.OnDigit('1');
        Assert.Contains("save rec-1", _channel.Actions);
        Assert.Equal("vm", call.CurrentNode);
    }

    [Fact]
    public void Nothing_said_is_discarded_and_raises_empty_which_falls_back_to_done()
    {
        var call = Start(Flow.Replace("max_attempts: 2", "max_attempts: 2\n        next: bye", StringComparison.Ordinal)
            .Replace("sorry: { type: hangup, prompt: sorry }", "sorry: { type: hangup, prompt: sorry }\n      bye: { type: hangup, prompt: bye }",
                StringComparison.Ordinal));
        _channel.FinishPrompt();
        _channel.FinishPrompt();
        _channel.Finish(TimeSpan.FromSeconds(4), IvrRecordingEnd.Silence, empty: true);
        _channel.FinishPrompt(); // "nothing"
        var result = IvrCallTests.Ended(call);
        Assert.Equal("bye", result.LastNode);
        Assert.Contains("discard rec-1", _channel.Actions);
        Assert.DoesNotContain(_channel.Actions, a => a.StartsWith("save", StringComparison.Ordinal));
        Assert.False(result.Interaction.Variables.ContainsKey("voicemail"));
    }

    [Fact]
    public void Caller_hanging_up_while_recording_leaves_the_recording_to_the_channel()
    {
        var call = Start();
        _channel.FinishPrompt();
        _channel.FinishPrompt();
        call.OnHangup();
        _channel.Finish(TimeSpan.FromSeconds(3), IvrRecordingEnd.Hangup); // after the end: ignored by the call
        Assert.Equal(IvrEndReason.CallerHangup, IvrCallTests.Ended(call).Reason);
        Assert.DoesNotContain(_channel.Actions, a => a.StartsWith("discard", StringComparison.Ordinal) || a.StartsWith("save", StringComparison.Ordinal));
    }

    [Fact]
    public void Recording_ended_by_the_hang_up_before_the_call_hears_of_it_plays_nothing_and_ends_as_a_caller_hang_up()
    {
        var call = Start();
        _channel.FinishPrompt();
        _channel.FinishPrompt();
        _channel.Finish(TimeSpan.FromSeconds(3), IvrRecordingEnd.Hangup);
        var actions = _channel.Actions.Count;
        call.OnHangup();
        var result = IvrCallTests.Ended(call);
        Assert.Equal(IvrEndReason.CallerHangup, result.Reason);
        Assert.NotEqual("sorry", result.LastNode);
        Assert.Equal(actions, _channel.Actions.Count);
        Assert.DoesNotContain(_channel.Actions, a => a.StartsWith("discard", StringComparison.Ordinal) || a.StartsWith("save", StringComparison.Ordinal));
    }

    [Fact]
    public void A_channel_that_cannot_record_takes_the_error_path()
    {
        var channel = new NoRecordingChannel();
        var call = new IvrCall(FlowText.Load(Flow), channel, "+1", "100", _time);
        call.Start();
        Assert.Equal("sorry", IvrCallTests.Ended(call).LastNode);
    }

    [Theory]
    [InlineData("mailbox: \"a b\"", "must be a queue name or an extension")]
    [InlineData("max_length: 31m", "at most 30m")]
    [InlineData("finish_key: x", "one key of the phone pad")]
    [InlineData("silence: soon", "must be a duration")]
    [InlineData("max_attempts: 0", "from 1 to 10")]
    [InlineData("reveiw: true", "did you mean 'review'")]
    [InlineData("events: { timeout: sorry }", "unknown event 'timeout'")]
    public void Bad_voicemail_settings_are_refused_with_their_location(string setting, string message)
    {
        var mailbox = setting.StartsWith("mailbox:", StringComparison.Ordinal) ? setting : "mailbox: support";
        var extra = setting.StartsWith("mailbox:", StringComparison.Ordinal) ? "" : setting;
        var yaml = $"""
            flows:
              t:
                numbers: ["100"]
                start: vm
                on_error: sorry
                nodes:
                  vm:
                    type: voicemail
                    {mailbox}
                    prompt: leave
                    {extra}
                  sorry: {"{"} type: hangup, prompt: sorry {"}"}
            """;
        var result = YamlFlowLoader.LoadText(yaml, "vm.yaml");
        Assert.False(result.Succeeded);
        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal) && e.Line > 0);
    }

    [Fact]
    public void Survey_flow_without_numbers_loads_and_a_survey_must_name_a_flow_of_the_file()
    {
        const string Good = """
            flows:
              line:
                numbers: ["100"]
                survey: poll
                start: bye
                nodes:
                  bye: { type: hangup }
              poll:
                numbers: []
                start: bye
                nodes:
                  bye: { type: hangup }
            """;
        var loaded = YamlFlowLoader.LoadText(Good, "s.yaml");
        Assert.True(loaded.Succeeded, string.Join("\n", loaded.Errors));
        Assert.Equal("poll", loaded.Flows!.FindByName("line")!.Survey);
        Assert.Empty(loaded.Flows.FindByName("poll")!.Numbers);

        var bad = YamlFlowLoader.LoadText(Good.Replace("survey: poll", "survey: pol", StringComparison.Ordinal), "s.yaml");
        var error = Assert.Single(bad.Errors);
        Assert.Equal((4, 13), (error.Line, error.Column));
        Assert.Contains("survey 'pol' of flow 'line' is not a flow of this file (did you mean 'poll'?)", error.Message, StringComparison.Ordinal);
        Assert.Contains(YamlFlowLoader.LoadText(Good.Replace("survey: poll", "survey: line", StringComparison.Ordinal), "s.yaml").Errors,
            e => e.Message.Contains("names itself", StringComparison.Ordinal));
        Assert.Contains(YamlFlowLoader.LoadText(Good.Replace("    numbers: []\n", "", StringComparison.Ordinal), "s.yaml").Errors,
            e => e.Message.Contains("missing 'numbers'", StringComparison.Ordinal));
    }

    /// <summary>Plays and records pending until the test finishes them.</summary>
    private sealed class VoicemailChannel : IIvrChannel
    {
        private TaskCompletionSource? _playback;
        private TaskCompletionSource<IvrRecording>? _recording;
        private int _recordings;

        public List<string> Actions { get; } = [];
        public IvrRecordRequest? Request { get; private set; }
        public int Stops { get; private set; }

        public Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn)
        {
            Actions.Add($"play {string.Join("+", promptIds)}{(bargeIn ? " barge-in" : "")}");
            _playback = new TaskCompletionSource();
            return _playback.Task;
        }

        public void StopPlayback()
        {
            Actions.Add("stop");
            _playback?.TrySetResult();
        }

        public Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request) => throw new InvalidOperationException();

        public Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request) => throw new InvalidOperationException();

        public void Hangup(string language, string? promptId) => Actions.Add($"hangup {promptId}".TrimEnd());

        public Task<IvrRecording> RecordAsync(IvrRecordRequest request)
        {
            Request = request;
            Actions.Add("record " + request.Mailbox);
            _recording = new TaskCompletionSource<IvrRecording>();
            return _recording.Task;
        }

        public void StopRecording()
        {
            Stops++;
            Actions.Add("stop");
        }

        public void SaveRecording(IvrRecording recording) => Actions.Add("save " + recording.Id);

        public void DiscardRecording(IvrRecording recording) => Actions.Add("discard " + recording.Id);

        public void FinishPrompt() => _playback!.SetResult();

        public void Finish(TimeSpan duration, IvrRecordingEnd end, bool empty = false) =>
            _recording!.SetResult(new IvrRecording("rec-" + ++_recordings, duration, empty, end));
    }

    /// <summary>A channel without voicemail support (the interface's default RecordAsync).</summary>
    private sealed class NoRecordingChannel : IIvrChannel
    {
        public Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn) => Task.CompletedTask;

        public void StopPlayback()
        {
        }

        public Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request) => throw new InvalidOperationException();

        public Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request) => throw new InvalidOperationException();

        public void Hangup(string language, string? promptId)
        {
        }
    }
}
