namespace Telephony.Recording.Storage;

/// <summary>Life cycle of a recording row.</summary>
public enum RecordingStatus
{
    /// <summary>Being written (after a crash: to be repaired by <see cref="RecordingRecovery"/>).</summary>
    Recording,

    /// <summary>Closed normally; duration, size and SHA-256 are final.</summary>
    Completed,

    /// <summary>Left unfinished by a crash and repaired at start-up.</summary>
    Interrupted,

    /// <summary>File removed by the retention sweep (or by hand); the row stays for the record.</summary>
    Deleted,
}
