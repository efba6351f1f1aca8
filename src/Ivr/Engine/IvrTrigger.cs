namespace Telephony.Ivr.Engine;

/// <summary>
/// The triggers of a call's state machine (states are node ids). Raw inputs (<see cref="Digit"/>,
/// <see cref="PromptFinished"/>, <see cref="Timeout"/>, channel results) are handled inside the current node;
/// the node then raises an <see cref="Outcome"/> (an event name from its <c>events:</c> block) that moves the call.
/// </summary>
public enum IvrTrigger
{
    Digit,
    PromptFinished,
    Timeout,
    QueueResult,
    TransferResult,
    ChannelError,
    Outcome,
    Finish,
    RecordingResult,
}
