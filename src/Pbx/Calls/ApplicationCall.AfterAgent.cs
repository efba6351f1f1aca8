using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;

namespace Telephony.Pbx.Calls;

// The bridged person's side of the call: their keypad (disposition codes from plain phones), and their hanging up first
// while the caller stays for the application (the post-call survey hand-off, ICallApplications.ContinueAfterAgent).
public sealed partial class ApplicationCall
{
    /// <summary>
    /// A key from the bridged person's phone (RFC 4733 telephone-event or in-band DTMF), e.g. <c>*5</c> + a digit for a
    /// disposition code; raised on the call's executor. The caller's keys come through <see cref="DigitReceived"/>.
    /// </summary>
    public event Action<ApplicationCall, AgentLeg, char>? AgentDigitReceived;

    /// <summary>
    /// Raised on the call's executor when the bridged person hung up first and the caller stays on the server (the
    /// application asked for it): the queue releases the agent (wrap-up) while the caller goes on.
    /// </summary>
    internal event Action<ApplicationCall, AgentLeg>? AgentLeft;

    /// <summary>When the person bridged to the caller hung up while the caller stayed (talk time ends there), or null.</summary>
    public DateTimeOffset? DisconnectedAt => _outcome.DisconnectedAt;

    private void OnAgentDigit(CallLeg leg, char digit)
    {
        // The agent's forks (browser and desk phone) share one media session whose digits are wired to the first fork:
        // a key from whichever fork answered arrives under that one.
        if (_bridged is not { } agent || (agent.Winner != leg && !(leg is OutboundLeg fork && agent.Forks.Contains(fork))))
        {
            return;
        }
        Logger.LogInformation("Call {CallId}: DTMF '{Digit}' from agent {Agent}", Id, digit, agent.Agent);
        try
        {
            AgentDigitReceived?.Invoke(this, agent, digit);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: agent digit handler failed", Id);
        }
    }

    /// <summary>
    /// The bridged <paramref name="agent"/> sent BYE. When the application keeps the caller (and no supervisor is joined,
    /// whose conference holds both parties), the agent's leg is let go, the caller hears silence and true is returned.
    /// </summary>
    private bool KeepCallerAfter(AgentLeg agent)
    {
        if (_callerHungUp || IsEnded || Supervisor is not null || _caller.Media is null)
        {
            return false;
        }
        bool keep;
        try
        {
            keep = _applications.ContinueAfterAgent(this, agent);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: application failed to take the caller after the agent", Id);
            keep = false;
        }
        if (!keep)
        {
            return false;
        }
        Unbridge();
        agent.IsFinished = true;
        agent.ReleaseMedia();
        _outcome.MarkDisconnected();
        _audio.HandOver(SilenceSource.Instance);
        Logger.LogInformation("Call {CallId}: agent {Agent} left first; the caller {Caller} stays with the application", Id,
            agent.Agent, Caller);
        try
        {
            AgentLeft?.Invoke(this, agent);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Logger.LogError(e, "Call {CallId}: agent-left handler failed", Id);
        }
        return true;
    }
}
