namespace Telephony.Recording.Storage;

/// <summary>Alert kind names.</summary>
public static class AlertKinds
{
    public const string MissedCall = "missed_call";
    public const string RecordingFailed = "recording_failed";
}
