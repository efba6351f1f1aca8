namespace Telephony.Recording.Storage;

/// <summary>Result of <see cref="RecordingReconciler.RunAsync"/>.</summary>
/// <param name="CallsWithoutAudio">Answered interactions with no recording file on disk.</param>
/// <param name="FilesWithoutCall">WAV files under the storage folder that no live recording row of a known call points to.</param>
public sealed record ReconciliationReport(IReadOnlyList<string> CallsWithoutAudio, IReadOnlyList<string> FilesWithoutCall);
