namespace Telephony.Pbx.Queues.Configuration;

/// <summary>The destination of a caller who reached a queue's maximum wait.</summary>
/// <param name="Kind">Queue, transfer or hangup.</param>
/// <param name="Target">Queue name (<see cref="OverflowKind.Queue"/>), extension or number
/// (<see cref="OverflowKind.Transfer"/>), or the goodbye prompt id, possibly null (<see cref="OverflowKind.Hangup"/>).</param>
public sealed record OverflowTarget(OverflowKind Kind, string? Target)
{
    /// <summary>Hang up without a goodbye prompt: the default when a queue names no overflow.</summary>
    public static OverflowTarget HangUp { get; } = new(OverflowKind.Hangup, null);

    /// <summary>Back to the application (the caller's own max wait passed).</summary>
    public static OverflowTarget ToApplication { get; } = new(OverflowKind.Application, null);

    public static OverflowTarget ToQueue(string queue) => new(OverflowKind.Queue, queue);

    public static OverflowTarget TransferTo(string destination) => new(OverflowKind.Transfer, destination);

    public static OverflowTarget Goodbye(string? prompt) => new(OverflowKind.Hangup, prompt);
}
