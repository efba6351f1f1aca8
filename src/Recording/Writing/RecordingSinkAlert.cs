namespace Telephony.Recording.Writing;

/// <summary>Alert raised by a <see cref="RecordingSink"/> through <see cref="RecordingSinkOptions.OnAlert"/>.</summary>
/// <param name="Kind">What went wrong.</param>
/// <param name="Path">Recording file, when the sink writes to a file.</param>
/// <param name="DroppedFrames">Frames dropped so far.</param>
/// <param name="Error">The write error, for <see cref="RecordingSinkAlertKind.WriteFailed"/>.</param>
public sealed record RecordingSinkAlert(RecordingSinkAlertKind Kind, string? Path, long DroppedFrames, Exception? Error);
