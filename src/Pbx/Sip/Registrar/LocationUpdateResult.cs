namespace Telephony.Pbx.Sip.Registrar;

/// <summary>Outcome of <see cref="LocationTable.Update"/> / <see cref="LocationTable.RemoveAll"/> and the AOR's current bindings.</summary>
public sealed record LocationUpdateResult(LocationUpdateOutcome Outcome, IReadOnlyList<Binding> Bindings)
{
    /// <summary>True for <see cref="LocationUpdateOutcome.Ok"/>.</summary>
    public bool IsOk => Outcome == LocationUpdateOutcome.Ok;
}
