namespace Telephony.Pbx.Queues.Configuration;

/// <summary>
/// A queue's <c>callback:</c> option (<c>config/queues.yaml</c>; <c>Queues/README.md</c>, "Callbacks"): the queue takes
/// callbacks (web, console and IVR requests) and, with <see cref="OfferAfter"/> above zero, offers them to waiting trunk
/// callers in its periodic announcement ("press 1 to be called back, you keep your place in line"). A callback keeps
/// the original arrival time and priority; when it reaches the head and an agent is free, the agent is rung first and
/// the customer is then called through <see cref="Trunk"/>.
/// </summary>
public sealed record CallbackOptions
{
    /// <summary>Offered in the announcements once a caller has waited this long in the queue; zero = never offered
    /// to waiting callers (web, console and IVR requests are still taken).</summary>
    public TimeSpan OfferAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The key that accepts the offer.</summary>
    public char Digit { get; init; } = '1';

    /// <summary>Calls to the customer before the callback fails (no answer, busy or failure each count).</summary>
    public int Attempts { get; init; } = 3;

    /// <summary>Wait between two attempts.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the customer's phone rings before the attempt counts as not answered.</summary>
    public TimeSpan CustomerRingTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The outbound trunk (<c>telephony.yaml</c> <c>trunks[].name</c>); null = the first trunk with an
    /// <c>outbound</c> side.</summary>
    public string? Trunk { get; init; }

    /// <summary>The opening hours: the id of a <c>schedule</c> node of <c>config/ivr.yaml</c>; null = always open.</summary>
    public string? Hours { get; init; }

    /// <summary>A callback that falls due while the queue is closed waits for the next opening (false: it is made
    /// anyway).</summary>
    public bool WaitForOpening { get; init; } = true;

    /// <summary>A callback not made within this time of its request is withdrawn with a <c>callback_failed</c>
    /// alert; zero = no deadline.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromHours(24);
}
