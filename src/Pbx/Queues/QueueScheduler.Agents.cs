using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Queues;

public sealed partial class QueueScheduler
{
    private void OnLoggedIn(AgentLoggedIn c)
    {
        var agent = GetOrAddAgent(c.Agent);
        if (agent.State != AgentState.LoggedOut)
        {
            if (agent.LogoutPending)
            {
                agent.LogoutPending = false;
                return;
            }
            Ignore(c, "agent is already logged in");
            return;
        }
        agent.IdleSince = _now;
        agent.SkipUntil = null;
        SetAgent(agent, AgentState.Available);
    }

    private void OnLoggedOut(AgentLoggedOut c)
    {
        if (!_agents.TryGetValue(c.Agent, out var agent) || agent.State == AgentState.LoggedOut)
        {
            Ignore(c, "agent is not logged in");
            return;
        }
        switch (agent.State)
        {
            case AgentState.OnCall:
                agent.LogoutPending = true;
                break;
            case AgentState.Ringing:
                var call = agent.Offer!.Call;
                EndLeg(agent.Offer, CancelReason.AgentLoggedOut, markSkip: false, AgentState.LoggedOut);
                ClearAgent(agent);
                AfterLegRemoved(call);
                break;
            default:
                ClearAgent(agent);
                SetAgent(agent, AgentState.LoggedOut);
                break;
        }
    }

    private void LogOut(QueueAgent agent)
    {
        ClearAgent(agent);
        SetAgent(agent, AgentState.LoggedOut);
    }

    private static void ClearAgent(QueueAgent agent)
    {
        agent.DispositionPending = false;
        agent.WrapUpInteraction = null;
        agent.WrapUpQueue = null;
        agent.PauseReason = null;
        agent.PendingPauseReason = null;
        agent.LogoutPending = false;
        agent.SkipUntil = null;
    }

    private void OnPaused(AgentPaused c)
    {
        if (!_agents.TryGetValue(c.Agent, out var agent) || agent.State == AgentState.LoggedOut)
        {
            Ignore(c, "agent is not logged in");
            return;
        }
        switch (agent.State)
        {
            case AgentState.Paused:
                agent.PauseReason = c.Reason;
                break;
            case AgentState.OnCall:
            case AgentState.WrapUp when agent.DispositionPending: // the disposition comes first, then the pause
                agent.PendingPauseReason = c.Reason;
                break;
            case AgentState.Ringing:
                var call = agent.Offer!.Call;
                agent.PauseReason = c.Reason;
                EndLeg(agent.Offer, CancelReason.AgentPaused, markSkip: false, AgentState.Paused);
                AfterLegRemoved(call);
                break;
            default:
                agent.PendingPauseReason = null;
                agent.PauseReason = c.Reason;
                agent.WrapUpInteraction = null;
                agent.WrapUpQueue = null;
                SetAgent(agent, AgentState.Paused);
                break;
        }
    }

    private void OnResumed(AgentResumed c)
    {
        if (!_agents.TryGetValue(c.Agent, out var agent))
        {
            Ignore(c, "unknown agent");
            return;
        }
        if (agent.State == AgentState.Paused)
        {
            agent.PauseReason = null;
            SetAgent(agent, AgentState.Available);
        }
        else if (agent.PendingPauseReason is not null)
        {
            agent.PendingPauseReason = null;
        }
        else
        {
            Ignore(c, "agent is not paused");
        }
    }
}
