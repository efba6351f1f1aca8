using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Engine;

/// <summary>The <c>callback</c> node and the queue node's <c>callback</c> event (issue 13): a booked callback moves on
/// to <c>next</c>, a failed one to <c>failed</c>; a caller who books a callback while waiting continues at the queue
/// node's <c>callback</c> target, or the IVR ends with reason Callback when the tree has none.</summary>
public sealed class CallbackNodeTests
{
    private const string Flow = """
        flows:
          t:
            numbers: ["100"]
            start: menu
            on_error: sorry
            nodes:
              menu:
                type: menu
                prompt: menu
                options: { "1": offer, "2": wait, "3": wait-plain }
                timeout: 4s
                retries: 0
                events: { timeout: sorry, invalid: sorry }
              offer: { type: callback, queue: support, priority: 7, next: booked, failed: wait }
              wait: { type: queue, queue: support, callback: booked }
              wait-plain: { type: queue, queue: support }
              booked: { type: hangup, prompt: bye-booked }
              sorry: { type: hangup, prompt: sorry }
        """;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly CallbackChannel _channel = new();

    private IvrCall StartAt(char digit)
    {
        var call = new IvrCall(FlowText.Load(Flow), _channel, "+15550000002", "100", _time);
        call.Start();
        call.OnDigit(digit);
        return call;
    }

    [Fact]
    public void Booked_callback_goes_to_next_with_the_node_priority()
    {
        var call = StartAt('1');
        Assert.Equal("offer", call.CurrentNode);
        Assert.Equal(("support", 7), (_channel.CallbackRequest!.Queue, _channel.CallbackRequest.Priority));
        _channel.Callback!.SetResult(IvrCallbackOutcome.Booked);
        Assert.Equal(IvrEndReason.Hangup, IvrCallTests.Ended(call).Reason);
        Assert.Equal(["menu", "offer", "booked"], call.Interaction.Path);
        Assert.Contains("hangup bye-booked", _channel.Actions);
    }

    [Fact]
    public void Failed_callback_takes_the_failed_path()
    {
        var call = StartAt('1');
        _channel.Callback!.SetResult(IvrCallbackOutcome.Failed);
        Assert.Equal("wait", call.CurrentNode);
        Assert.True(_channel.LastQueueRequest!.HasCallbackPath);
    }

    [Fact]
    public void Caller_booking_while_waiting_continues_at_the_queue_nodes_callback_target()
    {
        var call = StartAt('2');
        Assert.True(_channel.LastQueueRequest!.HasCallbackPath);
        _channel.Queue!.SetResult(IvrQueueOutcome.Callback);
        Assert.Equal(IvrEndReason.Hangup, IvrCallTests.Ended(call).Reason);
        Assert.Equal(["menu", "wait", "booked"], call.Interaction.Path);
    }

    [Fact]
    public void Without_a_callback_target_the_ivr_ends_with_reason_callback()
    {
        var call = StartAt('3');
        Assert.False(_channel.LastQueueRequest!.HasCallbackPath);
        _channel.Queue!.SetResult(IvrQueueOutcome.Callback);
        Assert.Equal(IvrEndReason.Callback, IvrCallTests.Ended(call).Reason);
        Assert.DoesNotContain(_channel.Actions, a => a.StartsWith("hangup", StringComparison.Ordinal)); // the queue said goodbye
    }

    [Fact]
    public void A_callback_node_without_a_queue_is_refused_with_its_line()
    {
        var errors = YamlFlowLoader.LoadText(Flow.Replace("type: callback, queue: support,", "type: callback,", StringComparison.Ordinal), "ivr.yaml").Errors;
        Assert.Contains(errors, e => e.Message.Contains("queue", StringComparison.Ordinal) && e.ToString().Contains("ivr.yaml:", StringComparison.Ordinal));
    }

    /// <summary>Menus prompt and finish at once; queues and callbacks stay pending until the test completes them.</summary>
    private sealed class CallbackChannel : IIvrChannel
    {
        public List<string> Actions { get; } = [];
        public TaskCompletionSource<IvrQueueOutcome>? Queue { get; private set; }
        public TaskCompletionSource<IvrCallbackOutcome>? Callback { get; private set; }
        public IvrQueueRequest? LastQueueRequest { get; private set; }
        public IvrCallbackRequest? CallbackRequest { get; private set; }

        public Task PlayAsync(string language, IReadOnlyList<string> promptIds, bool bargeIn) => Task.CompletedTask;

        public void StopPlayback()
        {
        }

        public Task<IvrQueueOutcome> EnqueueAsync(IvrQueueRequest request)
        {
            LastQueueRequest = request;
            Queue = new TaskCompletionSource<IvrQueueOutcome>();
            return Queue.Task;
        }

        public Task<IvrTransferOutcome> TransferAsync(IvrTransferRequest request) => Task.FromResult(IvrTransferOutcome.Failed);

        public Task<IvrCallbackOutcome> RequestCallbackAsync(IvrCallbackRequest request)
        {
            CallbackRequest = request;
            Callback = new TaskCompletionSource<IvrCallbackOutcome>();
            return Callback.Task;
        }

        public void Hangup(string language, string? promptId) => Actions.Add($"hangup {promptId}".TrimEnd());
    }
}
