using Telephony.Ivr.Conditions;

namespace Telephony.Ivr.Model;

/// <summary>
/// An <c>on_end:</c> entry: runs however the call leaves the flow (caller hangup, hangup node, queue, transfer,
/// error). It may only touch data (variables, tags) and log; the built-in variable <c>end_reason</c> says why.
/// </summary>
public sealed record EndHandler
{
    public IvrCondition? When { get; init; }
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
    public IReadOnlyList<string> Tags { get; init; } = [];
    public string? Log { get; init; }
    public required SourceLocation Location { get; init; }
}
