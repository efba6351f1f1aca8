namespace Telephony.Recording.Writing;

/// <summary>What a closed <see cref="RecordingSink"/> produced (the payload of <c>recording.completed</c>).</summary>
/// <param name="Path">Recording file, when the sink wrote to a file.</param>
/// <param name="Format">Sample encoding.</param>
/// <param name="Duration">Audio duration in the file (dropped frames are kept as silence).</param>
/// <param name="SizeBytes">File size [bytes], or -1 when unknown.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the whole file, or null when it could not be read.</param>
/// <param name="FramesWritten">Frames accepted and written.</param>
/// <param name="DroppedFrames">Frames dropped (queue full, write failure or oversized).</param>
/// <param name="Failed">True when writing failed at some point: the file holds audio up to the failure.</param>
public sealed record RecordingResult(
    string? Path,
    RecordingFormat Format,
    TimeSpan Duration,
    long SizeBytes,
    string? Sha256,
    long FramesWritten,
    long DroppedFrames,
    bool Failed);
