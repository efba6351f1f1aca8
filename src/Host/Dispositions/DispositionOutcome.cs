using Telephony.Recording.Storage;

namespace Telephony.Host.Dispositions;

/// <summary>The result of <see cref="DispositionService.SetAsync"/>: the status, the stored entry when set, the call's queue
/// and the codes that queue allows (for the error message).</summary>
public sealed record DispositionOutcome(DispositionStatus Status, DispositionEntry? Entry, string? Queue, IReadOnlyList<string> Allowed)
{
    /// <summary>A short reason for a refusal.</summary>
    public string Reason => Status switch
    {
        DispositionStatus.UnknownCall => "no such call",
        DispositionStatus.NoCodes => Queue is null ? "the call went through no queue" : $"queue '{Queue}' lists no disposition codes",
        DispositionStatus.InvalidCode => $"codes must be one or more of: {string.Join(", ", Allowed)} (queue '{Queue}')",
        _ => "ok",
    };
}
