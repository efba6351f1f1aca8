namespace Telephony.Recording.Storage;

/// <summary>Alert kind names.</summary>
public static class AlertKinds
{
    public const string MissedCall = "missed_call";
    public const string RecordingFailed = "recording_failed";

    /// <summary>A callback was requested (queue key, IVR node, web site or console).</summary>
    public const string CallbackRequested = "callback_requested";

    /// <summary>A callback reached its customer, who talked to an agent.</summary>
    public const string CallbackCompleted = "callback_completed";

    /// <summary>A callback failed for good: every attempt failed, its deadline passed, or a restart cut an attempt.</summary>
    public const string CallbackFailed = "callback_failed";
    /// <summary>A caller left a voicemail message (payload: mailbox, caller, duration, link to the audio).</summary>
    public const string Voicemail = "voicemail";

    /// <summary>A post-call survey score of 2 or less: someone should follow up.</summary>
    public const string LowCsat = "low_csat";
}
