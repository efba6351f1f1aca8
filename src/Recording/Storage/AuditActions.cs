namespace Telephony.Recording.Storage;

/// <summary>Action names written to the audit trail (category.what).</summary>
public static class AuditActions
{
    public const string Login = "auth.login";
    public const string LoginFailed = "auth.login_failed";
    public const string LoginLockedOut = "auth.locked_out";
    public const string Logout = "auth.logout";
    public const string SessionsRevoked = "auth.revoked";
    public const string RecordingDownload = "recording.download";
    public const string RecordingPlay = "recording.play";
    public const string VoicemailDownload = "voicemail.download";
    public const string VoicemailPlay = "voicemail.play";
    public const string SupervisionRequested = "supervision.requested";
    public const string SupervisionStarted = "supervision.started";
    public const string SupervisionMode = "supervision.mode";
    public const string SupervisionModeRequested = "supervision.mode_requested";
    public const string ConfigurationChanged = "config.changed";
    public const string Ban = "sip.ban";
    public const string Unban = "sip.unban";
}
