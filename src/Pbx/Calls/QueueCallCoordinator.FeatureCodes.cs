using Microsoft.Extensions.Logging;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Calls;

// Agent feature codes dialed from the agent's own phone: *45 log in, *46 log out, *47 pause, *48 resume.
public sealed partial class QueueCallCoordinator
{
    public const string LoginCode = "*45";
    public const string LogoutCode = "*46";
    public const string PauseCode = "*47";
    public const string ResumeCode = "*48";

    /// <summary>True for the agent feature codes.</summary>
    public static bool IsFeatureCode(string dialed) => dialed is LoginCode or LogoutCode or PauseCode or ResumeCode;

    /// <summary>
    /// Runs a feature code for the calling extension (trunk callers are refused): sends the command, plays a short
    /// confirmation (or "not possible" when the scheduler ignored it), then hangs up.
    /// </summary>
    public async ValueTask HandleFeatureCodeAsync(ApplicationCall call)
    {
        var agent = call.Caller;
        QueueCommand? command = call.FromTrunk || !Config.Agents().Contains(agent, StringComparer.Ordinal) ? null : call.Dialed switch
        {
            LoginCode => new AgentLoggedIn(agent),
            LogoutCode => new AgentLoggedOut(agent),
            PauseCode => new AgentPaused(agent, "feature code"),
            ResumeCode => new AgentResumed(agent),
            _ => null,
        };
        string prompt;
        if (command is null)
        {
            _logger.LogInformation("Feature code {Code} from {Caller} refused: not an agent", call.Dialed, agent);
            prompt = "en/queue/not-possible";
        }
        else
        {
            var actions = await Scheduler.SendAsync(command).ConfigureAwait(false);
            var ignored = actions.OfType<CommandIgnored>().FirstOrDefault();
            _logger.LogInformation("Feature code {Code} from agent {Agent}: {Result}", call.Dialed, agent,
                ignored?.Reason ?? "done");
            prompt = ignored is not null ? "en/queue/not-possible" : call.Dialed switch
            {
                LoginCode => "en/queue/logged-in",
                LogoutCode => "en/queue/logged-out",
                PauseCode => "en/queue/paused",
                _ => "en/queue/resumed",
            };
        }
        call.SetProgress(CallOutcome.CompletedInIvr); // a service call, not a missed one
        call.Hangup(Prompt(prompt), "feature code " + call.Dialed);
    }
}
