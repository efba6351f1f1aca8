using Microsoft.Extensions.Logging;

namespace Telephony.Pbx.Calls;

// Supervision of the caller–agent bridge (see SupervisorCall).
public sealed partial class ApplicationCall
{
    public override SupervisionTarget? GetSupervisionTarget() =>
        !IsEnded && _bridged is { Winner.IsTerminated: false, Media: { } agent } leg && _caller.Media is { } caller
            ? new SupervisionTarget(leg.Agent, caller, agent)
            : null;

    internal override void ReleaseAgentForTakeOver(string supervisor)
    {
        if (_bridged?.Winner is { IsTerminated: false } winner)
        {
            Logger.LogInformation("Call {CallId}: supervisor {Supervisor} took over, BYE to agent {Agent}", Id, supervisor, _bridged.Agent);
            winner.SendBye();
            _transfers.OnAgentTakenOver(this, _bridged.Agent, supervisor); // a queue releases the agent (wrap-up, next caller)
        }
    }
}
