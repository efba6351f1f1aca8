using System.Text.Json;
using Telephony.Host.Surveys;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <content>Post-call surveys: the score and answers on the call record, <c>survey.completed</c> (with a score) or
/// <c>survey.skipped</c> (none) in the event log, and a <c>low_csat</c> alert for a score of 2 or less; and the end of
/// talk time when the agent left before the caller.</content>
public sealed partial class CallRecorder : ISurveyRecorder
{
    public void OnSurveyEnded(ApplicationCall call, SurveyResult result)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(result);
        var callId = call.Id;
        var payload = new
        {
            callId,
            caller = call.Caller,
            queue = result.Queue,
            agent = result.Agent,
            flow = result.Flow,
            score = result.Score,
            answers = result.Answers,
            endReason = result.EndReason,
        };
        if (result.Score is not { } score)
        {
            Append(EventTypes.SurveySkipped, callId, payload, result.At);
            return;
        }
        var answers = JsonSerializer.Serialize(result.Answers, JsonText);
        Store(() => _cdr.SetSurveyAsync(RecordId(callId), score, answers));
        Append(EventTypes.SurveyCompleted, callId, payload, result.At);
        if (score <= SurveyResult.LowScore)
        {
            _logger.LogInformation("Low CSAT {Score} on call {CallId} from {Caller} (agent {Agent})", score, callId, call.Caller, result.Agent);
            RaiseAlert(AlertKinds.LowCsat, callId, call.Caller, JsonSerializer.Serialize(new
            {
                kind = AlertKinds.LowCsat,
                callId,
                caller = call.Caller,
                dialed = call.Dialed,
                queue = result.Queue,
                agent = result.Agent,
                score,
                answers = result.Answers,
                at = result.At,
            }, JsonText), result.At);
        }
    }

    /// <summary>Talk time ends when the person left while the caller stayed (a survey), else at the end of the call.</summary>
    private static DateTimeOffset TalkEnd(Call call, CallEndInfo info) =>
        call is ApplicationCall { DisconnectedAt: { } left } ? left : info.EndedAt;
}
