namespace Telephony.Recording.Storage;

/// <summary>Life cycle of a voicemail message (<c>voicemails.status</c>).</summary>
public enum VoicemailStatus
{
    /// <summary>The caller is speaking; the file is being written (a crash leaves it here until start-up repair).</summary>
    Recording,

    /// <summary>Left and not listened to yet.</summary>
    New,

    /// <summary>Someone played or downloaded it.</summary>
    Heard,

    /// <summary>Someone took care of it (called back...); the reply time is stored.</summary>
    Handled,

    /// <summary>Thrown away: the caller recorded again, or nothing was said. The file is deleted.</summary>
    Discarded,
}
