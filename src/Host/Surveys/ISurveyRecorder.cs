using Telephony.Pbx.Calls;

namespace Telephony.Host.Surveys;

/// <summary>Where the call center hands a finished post-call survey (the Host's <c>CallRecorder</c>: call record, event
/// log, <c>low_csat</c> alert). Must return quickly.</summary>
public interface ISurveyRecorder
{
    /// <summary>The survey of <paramref name="call"/> ended (with or without a score).</summary>
    void OnSurveyEnded(ApplicationCall call, SurveyResult result);
}
