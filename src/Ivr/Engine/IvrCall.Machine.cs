using Stateless;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

public sealed partial class IvrCall
{
    /// <summary>The typed triggers of one machine.</summary>
    internal sealed record Machine(
        StateMachine<string, IvrTrigger>.TriggerWithParameters<string> Outcome,
        StateMachine<string, IvrTrigger>.TriggerWithParameters<IvrEndReason> Finish,
        StateMachine<string, IvrTrigger>.TriggerWithParameters<char> Digit,
        StateMachine<string, IvrTrigger>.TriggerWithParameters<IvrQueueOutcome> QueueResult,
        StateMachine<string, IvrTrigger>.TriggerWithParameters<IvrTransferOutcome> TransferResult,
        StateMachine<string, IvrTrigger>.TriggerWithParameters<string> ChannelError,
        StateMachine<string, IvrTrigger>.TriggerWithParameters<IvrRecording> RecordingResult);

    /// <summary>
    /// Configures <paramref name="machine"/> for <paramref name="flow"/>: one state per node, outcome edges from the
    /// node's <c>events:</c> block (guarded by the event name, so the Mermaid export labels them), Finish from every node
    /// to "_end". With <paramref name="call"/> null only the graph is built (for <see cref="IvrFlowGraph"/>).
    /// </summary>
    internal static Machine Configure(StateMachine<string, IvrTrigger> machine, IvrFlow flow, IvrCall? call)
    {
        var triggers = new Machine(
            machine.SetTriggerParameters<string>(IvrTrigger.Outcome),
            machine.SetTriggerParameters<IvrEndReason>(IvrTrigger.Finish),
            machine.SetTriggerParameters<char>(IvrTrigger.Digit),
            machine.SetTriggerParameters<IvrQueueOutcome>(IvrTrigger.QueueResult),
            machine.SetTriggerParameters<IvrTransferOutcome>(IvrTrigger.TransferResult),
            machine.SetTriggerParameters<string>(IvrTrigger.ChannelError),
            machine.SetTriggerParameters<IvrRecording>(IvrTrigger.RecordingResult));

        machine.Configure(StartState)
            .PermitIf(triggers.Outcome, flow.Start.NodeId, e => e == "start", "start")
            .Permit(IvrTrigger.Finish, EndState);

        var end = machine.Configure(EndState);
        if (call is not null)
        {
            end.OnEntryFrom(triggers.Finish, (reason, t) => call.EnterEnd(reason, t.Source), "RunEndHandlers");
        }

        foreach (var node in flow.Nodes.Values)
        {
            var state = machine.Configure(node.Id).Permit(IvrTrigger.Finish, EndState);
            var edges = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, target) in node.Events)
            {
                edges[name] = target.NodeId;
            }
            if (!edges.ContainsKey(IvrEvents.Error) && flow.OnError is { } onError && node is not (HangupNode or GotoNode))
            {
                edges[IvrEvents.Error] = onError.NodeId;
            }
            if (node is MenuNode && !edges.ContainsKey(IvrEvents.Operator) && flow.Operator is { } op)
            {
                edges[IvrEvents.Operator] = op.NodeId;
            }
            foreach (var (name, target) in edges)
            {
                if (target == node.Id)
                {
                    state.PermitReentryIf(triggers.Outcome, e => e == name, name);
                }
                else
                {
                    state.PermitIf(triggers.Outcome, target, e => e == name, name);
                }
            }
            if (call is null)
            {
                continue;
            }
            var current = node;
            state.OnEntry(() => call.Enter(current), "Enter");
            state.InternalTransition(IvrTrigger.PromptFinished, () => call.HandlePromptFinished(current));
            state.InternalTransition(IvrTrigger.Timeout, () => call.HandleTimeout(current));
            state.InternalTransition(triggers.ChannelError, (reason, _) => call.HandleChannelError(current, reason));
            if (node is MenuNode or CollectNode or PlayNode { BargeIn: true } or VoicemailNode)
            {
                state.InternalTransition(triggers.Digit, (digit, _) => call.HandleDigit(current, digit));
            }
            if (node is QueueNode)
            {
                state.InternalTransition(triggers.QueueResult, (outcome, _) => call.HandleQueueResult(current, outcome));
            }
            if (node is VoicemailNode)
            {
                state.InternalTransition(triggers.RecordingResult, (recording, _) => call.HandleRecordingResult(current, recording));
            }
            if (node is TransferNode)
            {
                state.InternalTransition(triggers.TransferResult, (outcome, _) => call.HandleTransferResult(current, outcome));
            }
        }
        return triggers;
    }
}
