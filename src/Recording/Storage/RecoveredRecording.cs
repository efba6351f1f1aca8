using Telephony.Recording.Writing;

namespace Telephony.Recording.Storage;

/// <summary>One recording found unfinished at start-up and what <see cref="RecordingRecovery"/> did with it.</summary>
public sealed record RecoveredRecording(long Id, string CallId, string Path, WavRepairOutcome Outcome, TimeSpan Duration, long SizeBytes);
