namespace Telephony.Ivr.Engine;

/// <summary>Why a voicemail recording ended.</summary>
public enum IvrRecordingEnd
{
    /// <summary><see cref="IIvrChannel.StopRecording"/>: the finish key or the maximum length.</summary>
    Stopped,

    /// <summary>The caller was silent for the request's <see cref="IvrRecordRequest.Silence"/>.</summary>
    Silence,

    /// <summary>The caller hung up (what was said is kept).</summary>
    Hangup,
}
