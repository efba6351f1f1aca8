using Telephony.Host.Dispositions;
using Telephony.Host.Surveys;
using Telephony.Host.Voicemail;

namespace Telephony.Host.Ivr;

/// <summary>
/// What the call center keeps of its promises to callers, each optional: the <c>voicemail</c> node's recorder, where
/// post-call surveys end up, and the disposition codes agents set from their phones (keypad <c>*5N</c>).
/// </summary>
public sealed record CallCenterPromises(VoicemailRecorder? Voicemail, ISurveyRecorder? Surveys, DispositionService? Dispositions);
