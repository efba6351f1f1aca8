using System.Collections.Concurrent;
using Telephony.Host.Dispositions;
using Telephony.Host.Surveys;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Model;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;

namespace Telephony.Host.Ivr;

// Post-call surveys (the caller stays when the agent hangs up first), disposition codes from the agents' keypads
// (*5N during the call, or dialed in wrap-up), and the flow each call started on.
public sealed partial class CallCenter
{
    private readonly ConcurrentDictionary<string, IvrFlow> _flowOfCall = new(StringComparer.Ordinal);

    /// <summary>
    /// <see cref="ICallApplications.ContinueAfterAgent"/>: the caller stays for a survey when the queue it was answered from
    /// names one (<c>survey:</c> in queues.yaml), else when the IVR flow it came through does (<c>survey:</c> in ivr.yaml),
    /// and that flow exists in the IVR file in force.
    /// </summary>
    public bool ContinueAfterAgent(ApplicationCall call, AgentLeg agent)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(agent);
        var queue = Queues?.ConnectedQueueOf(call);
        var name = (queue is null ? null : Queues!.Config.Find(queue)?.Survey)
            ?? _flowOfCall.GetValueOrDefault(call.Id)?.Survey;
        if (name is null || Engine is null)
        {
            return false;
        }
        if (Flows?.Current?.FindByName(name) is not { } survey)
        {
            _logger.LogWarning("Call {CallId}: survey flow '{Survey}' is not in the IVR file in force; the call ends", call.Id, name);
            return false;
        }
        _logger.LogInformation("Call {CallId}: agent {Agent} hung up first; {Caller} goes through survey {Survey}", call.Id, agent.Agent,
            call.Caller, survey.Name);
        _ = Task.Run(() => RunSurveyAsync(call, survey, queue, agent.Agent));
        return true;
    }

    private async Task RunSurveyAsync(ApplicationCall call, IvrFlow survey, string? queue, string agent)
    {
        var adapter = new IvrChannelAdapter(call, prompts, Queues, RingTimeout, promises?.Voicemail);
        var ivr = new IvrCall(survey, adapter, call.Caller, call.Dialed, ivrClock, _ivrLogger, call.Id);
        call.DigitReceived += (_, digit) => ivr.OnDigit(digit);
        _ = call.Ended.ContinueWith(_ => ivr.OnHangup(), TaskScheduler.Default);
        ivr.Start();
        var result = await ivr.Completion.ConfigureAwait(false);
        var answers = result.Interaction.Variables
            .Where(v => v.Key is not ("end_reason" or "last_node"))
            .ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        int? score = answers.TryGetValue(SurveyResult.ScoreVariable, out var text) && int.TryParse(text, out var n) && n is >= 1 and <= 5
            ? n
            : null;
        _logger.LogInformation("Call {CallId}: survey {Survey} ended ({Reason}), score {Score}", call.Id, survey.Name, result.Reason,
            score?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none");
        promises?.Surveys?.OnSurveyEnded(call, new SurveyResult(survey.Name, queue, agent, score, answers,
            result.Reason == IvrEndReason.CallerHangup ? "caller_hangup" : result.Reason.ToString().ToLowerInvariant(), _time.GetUtcNow()));
    }

    /// <summary>Keys from the bridged agent's phone: <c>*5N</c> adds the N-th code of the call's queue.</summary>
    private void WatchAgentKeys(ApplicationCall call)
    {
        if (promises?.Dispositions is not { } dispositions || Queues is not { } queues)
        {
            return;
        }
        var keypads = new ConcurrentDictionary<AgentLeg, DispositionKeypad>();
        call.AgentDigitReceived += (from, agent, digit) =>
        {
            if (!keypads.GetOrAdd(agent, _ => new DispositionKeypad()).Feed(digit, _time.GetUtcNow(), out var position))
            {
                return;
            }
            if (queues.ConnectedQueueOf(call) is not { } queue || queues.LastCallOf(agent.Agent) is not { } last || last.CallId != call.Id)
            {
                _logger.LogInformation("Call {CallId}: agent {Agent} keyed disposition {Position} outside a queue call", call.Id, agent.Agent, position);
                return;
            }
            _ = dispositions.AddByKeypadAsync(queues, last with { Queue = queue }, position).ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully && t.Result.Status != DispositionStatus.Set)
                {
                    _logger.LogInformation("Call {CallId}: keypad disposition {Position} from {Agent} refused: {Reason}", call.Id, position,
                        agent.Agent, t.Result.Reason);
                }
            }, TaskScheduler.Default);
        };
    }

    /// <summary><c>*5N</c> dialed by an agent (in wrap-up): the N-th code for the agent's last queue call, a short
    /// confirmation (or "not possible"), then the server hangs up.</summary>
    private async ValueTask HandleDispositionCodeAsync(ApplicationCall call, int position)
    {
        var prompt = "en/queue/not-possible";
        if (!call.FromTrunk && promises?.Dispositions is { } dispositions && Queues is { } queues && queues.LastCallOf(call.Caller) is { } last)
        {
            var outcome = await dispositions.AddByKeypadAsync(queues, last, position).ConfigureAwait(false);
            _logger.LogInformation("Disposition code {Code} from agent {Agent} for call {CallId}: {Result}", call.Dialed, call.Caller,
                last.CallId, outcome.Reason);
            if (outcome.Status == DispositionStatus.Set)
            {
                prompt = "en/queue/disposition-saved";
            }
        }
        call.SetProgress(CallOutcome.CompletedInIvr); // a service call, not a missed one
        call.Hangup(prompts.TryGet(prompt + ".wav", out _), "disposition code " + call.Dialed);
    }
}
