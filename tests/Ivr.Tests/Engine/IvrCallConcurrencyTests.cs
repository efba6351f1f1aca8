using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Engine;

namespace Telephony.Ivr.Tests.Engine;

public sealed class IvrCallConcurrencyTests
{
    private const string Flow = """
        flows:
          t:
            numbers: ["1"]
            start: menu
            on_error: bye
            on_end:
              - log: call over
            nodes:
              menu:
                type: menu
                prompt: menu
                options: { "1": q }
                events: { timeout: bye, invalid: bye }
              q: { type: queue, queue: support }
              bye: { type: hangup }
        """;

    [Fact]
    public void Unhandled_trigger_is_logged_at_debug()
    {
        var logger = new ListLogger();
        var channel = new RecordingChannel { InstantPrompts = true };
        var call = new IvrCall(FlowText.Load(Flow), channel, "c", "1", new FakeTimeProvider(), logger, "call-7");
        call.Start();
        call.OnDigit('1');
        call.OnDigit('5');
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Debug && l.Message.Contains("Digit ignored in node q"));
        call.OnHangup();
        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Information && l.Message.Contains("call over"));
    }

    [Fact]
    public async Task Completions_from_other_threads_are_serialized_on_the_call()
    {
        var channel = new RecordingChannel { InstantPrompts = true };
        var call = new IvrCall(FlowText.Load(Flow), channel, "c", "1", new FakeTimeProvider());
        call.Start();
        call.OnDigit('1');
        var queue = channel.Queue!;
        var digits = Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                call.OnDigit('5');
            }
        });
        await Task.Run(() => queue.SetResult(IvrQueueOutcome.Answered));
        await digits;
        var result = await call.Completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(IvrEndReason.Answered, result.Reason);
        Assert.Equal("_end", call.CurrentNode);
    }
}
