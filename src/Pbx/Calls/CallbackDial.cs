using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Pbx.Calls;

/// <summary>
/// One attempt of a callback, as a <see cref="CallbackCall"/> makes it: ring <paramref name="Agent"/> with
/// <paramref name="AgentHeaders"/> (the screen pop: the interaction data, marked as a callback, with the original wait),
/// then call <paramref name="CustomerNumber"/> through <paramref name="Trunk"/> as <paramref name="CallerId"/> for at most
/// <paramref name="CustomerRingTimeout"/>.
/// </summary>
/// <param name="CallbackId">The callback (its id in the queue's line and in the callbacks table).</param>
/// <param name="Attempt">1 for the first call to the customer, 2 for the first retry...</param>
/// <param name="OriginalCallId">The call that asked for the callback (its call record), or null (web, console).</param>
/// <param name="OriginalWait">Time since the callback's original arrival in the queue.</param>
public sealed record CallbackDial(
    string CallbackId,
    int Attempt,
    string Queue,
    string Agent,
    string CustomerNumber,
    string? CustomerName,
    TrunkOptions Trunk,
    string CallerId,
    TimeSpan CustomerRingTimeout,
    string? OriginalCallId,
    TimeSpan OriginalWait,
    IReadOnlyList<KeyValuePair<string, string>> AgentHeaders,
    IReadOnlyList<KeyValuePair<string, string>> CustomerHeaders);
