using Telephony.Pbx.Media;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Calls;

/// <summary>
/// One attempt of an <see cref="ApplicationCall"/> to reach a person: the INVITE forks to every registered contact of
/// <see cref="Agent"/> (RFC 3261 §16.6), all sharing one RTP session anchored on the server. <see cref="Outcome"/>
/// completes once: <see cref="RingOutcome.Answered"/> on the first 2xx, otherwise how the last fork failed; a ring
/// cancelled by us (or by the caller hanging up) completes with <see cref="RingOutcome.Rejected"/>.
/// </summary>
public sealed class AgentLeg
{
    private readonly TaskCompletionSource<RingOutcome> _outcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<OutboundLeg> _forks = [];

    internal AgentLeg(string agent, IReadOnlyList<KeyValuePair<string, string>> headers)
    {
        Agent = agent;
        Headers = headers;
    }

    /// <summary>The extension rung.</summary>
    public string Agent { get; }

    /// <summary>Extra headers on each INVITE (the interaction data).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>How the ring ended.</summary>
    public Task<RingOutcome> Outcome => _outcome.Task;

    /// <summary>The fork that answered, once one did.</summary>
    public OutboundLeg? Winner { get; internal set; }

    /// <summary>When the first 2xx arrived (the agent answered), once one did.</summary>
    public DateTimeOffset? AnsweredAt { get; internal set; }

    /// <summary>True once bridged to the caller.</summary>
    public bool IsBridged { get; internal set; }

    /// <summary>True once cancelled, failed or released: no further use.</summary>
    public bool IsFinished { get; internal set; }

    internal IReadOnlyList<OutboundLeg> Forks => _forks;
    internal RtpSession? Media { get; set; }

    internal void AddFork(OutboundLeg fork) => _forks.Add(fork);

    internal bool TryComplete(RingOutcome outcome) => _outcome.TrySetResult(outcome);

    /// <summary>Ends the agent's media (cancelled, failed or released ring). Idempotent.</summary>
    internal void ReleaseMedia()
    {
        Media?.Dispose();
        foreach (var fork in _forks)
        {
            fork.Media = null;
        }
        Media = null;
    }
}
