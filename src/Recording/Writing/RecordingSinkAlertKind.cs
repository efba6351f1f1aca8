namespace Telephony.Recording.Writing;

/// <summary>Why a <see cref="RecordingSink"/> raised an alert.</summary>
public enum RecordingSinkAlertKind
{
    /// <summary>The writer fell behind (slow disk) and frames were dropped; the file keeps its timeline with silence.</summary>
    QueueFull,

    /// <summary>Writing failed (disk full, I/O error); the rest of the call is not recorded.</summary>
    WriteFailed,
}
