namespace Telephony.Ivr.Model;

/// <summary>
/// One IVR tree (an entry under <c>flows:</c>), answering one or more dialed numbers. Immutable; a reload builds
/// new flow objects, so a running call keeps walking the version it started with.
/// </summary>
public sealed record IvrFlow
{
    public required string Name { get; init; }
    public required SourceLocation Location { get; init; }
    public required IReadOnlyList<string> Numbers { get; init; }
    public string Language { get; init; } = "en";
    public required IvrTarget Start { get; init; }
    public int MaxVisits { get; init; } = 10;
    public IvrTarget? OnError { get; init; }
    public char? OperatorDigit { get; init; }
    public IvrTarget? Operator { get; init; }
    public IReadOnlyList<EndHandler> EndHandlers { get; init; } = [];

    /// <summary>
    /// The flow (of the same file) a caller of this flow goes through when the person they were connected to (through a
    /// queue or a transfer) hangs up first: the post-call survey. A queue's own <c>survey</c> in queues.yaml wins.
    /// </summary>
    public string? Survey { get; init; }

    /// <summary>Where <see cref="Survey"/> was written.</summary>
    public SourceLocation? SurveyLocation { get; init; }
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Lists { get; init; } = new Dictionary<string, IReadOnlySet<string>>();
    public required IReadOnlyDictionary<string, IvrNode> Nodes { get; init; }

    /// <summary>Ids of nodes that failed to load (their references are not reported again as unknown).</summary>
    internal IReadOnlySet<string> BrokenNodeIds { get; init; } = new HashSet<string>();

    /// <summary>The version of the file this flow came from (see <see cref="IvrFlowSet.Version"/>).</summary>
    public int Version { get; init; }

    /// <summary>
    /// The target of <paramref name="eventName"/> on <paramref name="node"/>, falling back to the tree's on_error for errors.
    /// </summary>
    public IvrTarget? TargetOf(IvrNode node, string eventName)
    {
        if (node.Events.TryGetValue(eventName, out var target))
        {
            return target;
        }
        return eventName == IvrEvents.Error ? OnError : null;
    }
}
