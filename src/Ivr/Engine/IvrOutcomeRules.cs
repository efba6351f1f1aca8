using Telephony.Ivr.Model;
using Telephony.Pbx.Contracts;

namespace Telephony.Ivr.Engine;

/// <summary>
/// What the IVR says about a call's outcome as the caller moves through a tree: a schedule's closed or holiday branch
/// makes it after hours, a hangup node completes it (or fails it, when the node is the tree's error path), and an IVR
/// that ended in error fails it. Each rule applies only while the call still stands "abandoned in the IVR", so it
/// never overrides what a queue or an agent already made of the call (<see cref="CallOutcomes.Advance"/>).
/// </summary>
public static class IvrOutcomeRules
{
    /// <summary>The outcome a call stands at from the moment the IVR has it.</summary>
    public const CallOutcome InIvr = CallOutcome.AbandonedInIvr;

    /// <summary>
    /// The outcome named when the caller enters <paramref name="nodeId"/> from <paramref name="previous"/> (null for
    /// the first node), or null when entering it says nothing about the outcome.
    /// </summary>
    public static CallOutcome? OnNodeEntered(IvrFlow flow, string? previous, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(flow);
        if (previous is not null && flow.Nodes.GetValueOrDefault(previous) is ScheduleNode schedule &&
            IsClosedBranch(flow, schedule, nodeId))
        {
            return CallOutcome.AfterHours; // a closed branch that hangs up at once is still after hours
        }
        if (flow.Nodes.GetValueOrDefault(nodeId) is HangupNode)
        {
            return flow.OnError?.NodeId == nodeId ? CallOutcome.Failed : CallOutcome.CompletedInIvr;
        }
        return null;
    }

    /// <summary>The outcome named when the IVR ends for <paramref name="reason"/>, or null.</summary>
    public static CallOutcome? OnEnded(IvrEndReason reason) => reason == IvrEndReason.Error ? CallOutcome.Failed : null;

    /// <summary>True when <paramref name="nodeId"/> is where <paramref name="schedule"/> sends callers outside business
    /// hours (its closed branch, or its holiday branch).</summary>
    public static bool IsClosedBranch(IvrFlow flow, ScheduleNode schedule, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.TargetOf(schedule, IvrEvents.Closed)?.NodeId == nodeId || flow.TargetOf(schedule, IvrEvents.Holiday)?.NodeId == nodeId;
    }

    /// <summary>True when the node starts a hand-off (queue, transfer or callback): the call record takes the IVR path and
    /// variables so far, so a live call shows them.</summary>
    public static bool IsHandoff(IvrFlow flow, string nodeId)
    {
        ArgumentNullException.ThrowIfNull(flow);
        return flow.Nodes.GetValueOrDefault(nodeId) is QueueNode or TransferNode or CallbackNode;
    }
}
