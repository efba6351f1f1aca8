using Microsoft.Extensions.Logging;
using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;

namespace Telephony.Ivr.Engine;

// The voicemail node: greeting (a key skips it), beep, recording (finish key, silence or maximum length), review
// (1 keep, 2 record again, silence keeps), confirmation, then done, or a hang-up when the node has no done path.
public sealed partial class IvrCall
{
    private enum VoicemailPhase
    {
        Greeting,
        Beep,
        Recording,
        Review,
        Confirm,
        Empty,
    }

    private VoicemailPhase _vmPhase;
    private int _vmAttempts;
    private IvrRecording? _vmRecording;

    private void EnterVoicemail(VoicemailNode node)
    {
        _typeAhead.Clear();
        _vmAttempts = 0;
        _vmRecording = null;
        if (node.Prompts.Count == 0)
        {
            StartBeep(node);
            return;
        }
        _vmPhase = VoicemailPhase.Greeting;
        StartPlayback(node.Prompts, bargeIn: true);
    }

    private void StartBeep(VoicemailNode node)
    {
        _vmAttempts++;
        _vmRecording = null;
        if (node.Beep is null)
        {
            StartRecording(node);
            return;
        }
        _vmPhase = VoicemailPhase.Beep;
        StartPlayback([node.Beep], bargeIn: false);
    }

    private void StartRecording(VoicemailNode node)
    {
        _vmPhase = VoicemailPhase.Recording;
        Trace($"record mailbox {node.Mailbox} (max {DurationText.Format(node.MaxLength)}, silence {Describe(node.Silence)}"
            + $", finish key {node.FinishKey?.ToString() ?? "none"})");
        Task<IvrRecording> task;
        try
        {
            task = _channel.RecordAsync(new IvrRecordRequest(node.Mailbox, node.MaxLength, node.Silence, Snapshot()));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            task = Task.FromException<IvrRecording>(e);
        }
        StartTimer(node.MaxLength);
        Observe(task, recording => _machine.Fire(_triggers.RecordingResult, recording));
    }

    private void VoicemailPromptFinished(VoicemailNode node)
    {
        switch (_vmPhase)
        {
            case VoicemailPhase.Greeting:
                StartBeep(node);
                break;
            case VoicemailPhase.Beep:
                StartRecording(node);
                break;
            case VoicemailPhase.Review:
                StartTimer(node.ReviewTimeout);
                break;
            case VoicemailPhase.Confirm:
                FinishVoicemail(node, IvrEvents.Done);
                break;
            case VoicemailPhase.Empty:
                FinishVoicemail(node, IvrEvents.Empty);
                break;
        }
    }

    private void VoicemailDigit(VoicemailNode node, char digit)
    {
        switch (_vmPhase)
        {
            case VoicemailPhase.Greeting:
                Trace($"digit {digit} (greeting skipped)");
                StopPlaybackIfPlaying();
                StartBeep(node);
                break;
            case VoicemailPhase.Recording when digit == node.FinishKey:
                Trace($"digit {digit} (end of message)");
                CancelTimer();
                _channel.StopRecording();
                break;
            case VoicemailPhase.Review when digit == VoicemailNode.KeepKey:
                StopPlaybackIfPlaying();
                CancelTimer();
                Trace($"digit {digit} (keep)");
                SaveVoicemail(node);
                break;
            case VoicemailPhase.Review when digit == VoicemailNode.RecordAgainKey:
                StopPlaybackIfPlaying();
                CancelTimer();
                if (_vmAttempts >= node.MaxAttempts)
                {
                    Trace($"digit {digit} (record again: no attempts left, kept)");
                    SaveVoicemail(node);
                    break;
                }
                Trace($"digit {digit} (record again)");
                _channel.DiscardRecording(_vmRecording!);
                StartBeep(node);
                break;
        }
    }

    private void VoicemailTimeout(VoicemailNode node)
    {
        switch (_vmPhase)
        {
            case VoicemailPhase.Recording:
                Trace("maximum length reached");
                _channel.StopRecording();
                break;
            case VoicemailPhase.Review:
                Trace("timeout (kept)");
                SaveVoicemail(node);
                break;
        }
    }

    private void HandleRecordingResult(IvrNode node, IvrRecording recording)
    {
        var voicemail = (VoicemailNode)node;
        if (_vmPhase != VoicemailPhase.Recording)
        {
            return;
        }
        CancelTimer();
        _vmRecording = recording;
        Trace($"recorded {recording.Id}: {DurationText.Format(recording.Duration)}, {recording.End.ToString().ToLowerInvariant()}"
            + (recording.Empty ? ", nothing said" : ""));
        if (recording.End == IvrRecordingEnd.Hangup)
        {
            // The caller is gone (its hang-up is on its way to OnHangup): nothing to play, the channel keeps what was said.
            _vmPhase = VoicemailPhase.Confirm;
            return;
        }
        if (recording.Empty)
        {
            _channel.DiscardRecording(recording);
            _vmPhase = VoicemailPhase.Empty;
            if (voicemail.EmptyPrompts.Count > 0)
            {
                StartPlayback(voicemail.EmptyPrompts, bargeIn: false);
            }
            else
            {
                FinishVoicemail(voicemail, IvrEvents.Empty);
            }
            return;
        }
        if (!voicemail.Review)
        {
            SaveVoicemail(voicemail);
            return;
        }
        _vmPhase = VoicemailPhase.Review;
        InputStarted?.Invoke();
        if (voicemail.ReviewPrompts.Count > 0)
        {
            StartPlayback(voicemail.ReviewPrompts, bargeIn: true);
        }
        else
        {
            StartTimer(voicemail.ReviewTimeout);
        }
    }

    private void SaveVoicemail(VoicemailNode node)
    {
        var recording = _vmRecording!;
        _channel.SaveRecording(recording);
        _variables["voicemail"] = recording.Id;
        _variables["voicemail_mailbox"] = node.Mailbox;
        _logger.LogInformation("IVR {CallId}: voicemail {Id} kept in mailbox {Mailbox} ({Seconds:F1} s)", CallId, recording.Id, node.Mailbox,
            recording.Duration.TotalSeconds);
        Trace($"kept {recording.Id} in mailbox {node.Mailbox}");
        _vmPhase = VoicemailPhase.Confirm;
        if (node.SavedPrompts.Count > 0)
        {
            StartPlayback(node.SavedPrompts, bargeIn: false);
        }
        else
        {
            FinishVoicemail(node, IvrEvents.Done);
        }
    }

    /// <summary><c>done</c> or <c>empty</c> (falling back to <c>done</c>); with neither path the node ends the call.</summary>
    private void FinishVoicemail(VoicemailNode node, string eventName)
    {
        if (Flow.TargetOf(node, eventName) is not null)
        {
            _machine.Fire(_triggers.Outcome, eventName);
        }
        else if (eventName == IvrEvents.Empty && Flow.TargetOf(node, IvrEvents.Done) is not null)
        {
            _machine.Fire(_triggers.Outcome, IvrEvents.Done);
        }
        else
        {
            _channel.Hangup(Flow.Language, null);
            _machine.Fire(_triggers.Finish, IvrEndReason.Hangup);
        }
    }
}
