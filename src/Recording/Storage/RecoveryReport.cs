namespace Telephony.Recording.Storage;

/// <summary>Result of <see cref="RecordingRecovery.RunAsync"/>.</summary>
/// <param name="Recordings">Recordings repaired and marked interrupted.</param>
/// <param name="InterruptedCalls">Call records closed as interrupted.</param>
public sealed record RecoveryReport(IReadOnlyList<RecoveredRecording> Recordings, IReadOnlyList<string> InterruptedCalls);
