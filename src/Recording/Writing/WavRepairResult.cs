namespace Telephony.Recording.Writing;

/// <summary>Result of <see cref="WavRepair"/>: what was done and what the file now holds.</summary>
/// <param name="Outcome">What was done.</param>
/// <param name="Format">Format found in (or rebuilt into) the header; null when unrecoverable.</param>
/// <param name="DataBytes">Audio bytes in the file after repair.</param>
/// <param name="Duration">Audio duration after repair.</param>
/// <param name="FileBytes">File length after repair.</param>
/// <param name="TruncatedBytes">Bytes of a partial trailing frame that were cut off.</param>
public sealed record WavRepairResult(
    WavRepairOutcome Outcome,
    RecordingFormat? Format,
    long DataBytes,
    TimeSpan Duration,
    long FileBytes,
    long TruncatedBytes)
{
    /// <summary>True when the file is now a valid WAVE file.</summary>
    public bool IsValid => Outcome != WavRepairOutcome.Unrecoverable;
}
