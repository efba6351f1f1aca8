namespace Telephony.Recording.Writing;

/// <summary>What <see cref="WavRepair"/> did to a file.</summary>
public enum WavRepairOutcome
{
    /// <summary>Sizes already matched the file length; nothing written.</summary>
    AlreadyValid,

    /// <summary>Sizes patched from the file length (and a partial trailing frame cut off).</summary>
    Repaired,

    /// <summary>The header itself was cut short; rewritten as an empty recording of the expected format.</summary>
    HeaderRebuilt,

    /// <summary>Not a WAVE file this module can repair (or missing); left untouched.</summary>
    Unrecoverable,
}
