namespace Telephony.Ivr.Model;

/// <summary>
/// One step of an IVR flow. Immutable: a running call keeps the flow version it started with.
/// <see cref="Events"/> maps each named outcome (see <see cref="IvrEvents"/>) to the next node.
/// </summary>
public abstract record IvrNode
{
    /// <summary>The node id: the key under <c>nodes:</c> and the Stateless state of a call standing on it.</summary>
    public required string Id { get; init; }

    /// <summary>Where the node's id was written.</summary>
    public required SourceLocation Location { get; init; }

    /// <summary>Outcome name to next node.</summary>
    public required IReadOnlyDictionary<string, IvrTarget> Events { get; init; }

    /// <summary>How many times one call may enter this node; null means the tree's <c>max_visits</c>.</summary>
    public int? MaxVisits { get; init; }

    public abstract IvrNodeKind Kind { get; }

    /// <summary>True for nodes that wait for the caller's digits (menu, collect).</summary>
    public virtual bool TakesInput => false;

    /// <summary>
    /// True for nodes that wait on something outside the call (queue, transfer); they break "loop without input".
    /// </summary>
    public virtual bool Waits => false;

    /// <summary>Prompt ids this node may play.</summary>
    public virtual IEnumerable<(string Prompt, SourceLocation Location)> PromptReferences => [];

    /// <summary>The outcome names this node type can produce (used to reject typos in <c>events:</c>).</summary>
    public abstract IReadOnlyCollection<string> AllowedEvents { get; }
}
