namespace Telephony.Ivr.Engine;

/// <summary>
/// A snapshot of what the IVR learned about a call, handed to queues and agents (SIP headers, the call record):
/// the variables set and collected, the path of nodes visited, priority and tags.
/// </summary>
public sealed record IvrInteraction(
    string? CallId,
    string Flow,
    int FlowVersion,
    string Caller,
    string Called,
    int Priority,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, string> Variables,
    IReadOnlyList<string> Path);
