using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

/// <summary>What a test number does with the caller's audio.</summary>
public enum TestCallMode
{
    /// <summary>Echo everything back (9000).</summary>
    Echo,
    /// <summary>Play a prompt, then hang up (9001).</summary>
    Prompt,
    /// <summary>Play a prompt, then echo until the caller hangs up (9002, the bench number).</summary>
    PromptThenEcho,
}

/// <summary>A call answered by the server itself: echo, prompt and bench test numbers.</summary>
public sealed class TestCall : Call
{
    private readonly InboundLeg _caller;
    private readonly TestCallMode _mode;
    private readonly AudioClip? _prompt;

    public TestCall(CallContext context, ServerTransaction invite, TestCallMode mode, AudioClip? prompt)
        : base(context, invite.Request.CallId!, "test:" + mode)
    {
        _mode = mode;
        _prompt = prompt;
        _caller = new InboundLeg(this, context.Stack, invite);
    }

    public InboundLeg Caller => _caller;
    public override IEnumerable<CallLeg> Legs => [_caller];

    public override async ValueTask StartAsync()
    {
        if (await AnswerCallerMediaAsync(_caller, End) is not { } negotiation)
        {
            return;
        }
        var session = _caller.Media!;
        session.DetectsInBandDigits = false; // a test number acts on no digit (RFC 4733 ones are still logged)
        session.SetSource(_mode switch
        {
            TestCallMode.Echo => EchoSource.Instance,
            TestCallMode.Prompt => new PromptSource(_prompt!, null, () => Executor.Post(() => HangupAsync("prompt finished"))),
            _ => new PromptSource(_prompt!, EchoSource.Instance),
        });
        _caller.InviteTransaction.AckTimedOut += _ => Executor.Post(() => HangupAsync("no ACK for 200 OK"));
        await _caller.AnswerAsync(negotiation.Sdp!);
        Logger.LogInformation("Call {CallId}: {Mode} test call answered ({Codec})", Id, _mode, negotiation.Parameters!.Codec);
    }

    protected override ValueTask OnLegHungUpAsync(CallLeg from)
    {
        End("caller hung up");
        return ValueTask.CompletedTask;
    }
}
