namespace Telephony.Pbx.Calls;

/// <summary>
/// A callback promised to a customer, as the queue layer keeps it and <see cref="ICallbackBook"/> stores it: who to call
/// (<see cref="Number"/>), for which queue, and its place in line (<see cref="ArrivedAt"/> and <see cref="Priority"/>,
/// the original caller's when a waiting caller chose it).
/// </summary>
public sealed record CallbackTicket
{
    /// <summary>The callback id (the entry's id in the queue's line and in the callbacks table).</summary>
    public required string Id { get; init; }

    public required string Queue { get; init; }

    /// <summary>The number to call, as dialed through the trunk (E.164 for web requests, the keys the caller entered).</summary>
    public required string Number { get; init; }

    /// <summary>Who asked (a web form's name), shown to the agent; null when unknown.</summary>
    public string? Name { get; init; }

    /// <summary>Free text from the request, shown to the agent.</summary>
    public string? Note { get; init; }

    /// <summary>Base priority (the caller's, for a waiting caller that chose a callback).</summary>
    public int Priority { get; init; }

    /// <summary>The place in line: the original arrival in the queue (the request time for web requests).</summary>
    public required DateTimeOffset ArrivedAt { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>Not to be called before this instant (the request's <c>notBefore</c>); null = as soon as possible.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Not made by then: withdrawn with a <c>callback_failed</c> alert; null = no deadline.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>Where it came from: <c>queue</c> (a waiting caller pressed the key), <c>ivr</c>, <c>web</c>, <c>console</c>.</summary>
    public string Source { get; init; } = "web";

    /// <summary>The web site (API key name), the console user, or the caller's number.</summary>
    public string? RequestedBy { get; init; }

    /// <summary>The client address of a web or console request (for the audit of who asked), else null.</summary>
    public string? SourceAddress { get; init; }

    /// <summary>The call that asked for it (its call record), or null.</summary>
    public string? OriginalCallId { get; init; }

    /// <summary>The caller id to present to the customer (the number they called us on), or null: the trunk's.</summary>
    public string? CallerId { get; init; }

    /// <summary>Calls to the customer made so far.</summary>
    public int Attempts { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Interaction data shown to the agent (IVR variables of the original call).</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
