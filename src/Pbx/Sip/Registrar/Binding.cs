namespace Telephony.Pbx.Sip.Registrar;

/// <summary>A registered contact of an address-of-record (RFC 3261 §10.3 location service entry).</summary>
/// <param name="Aor">Address-of-record key (the user part).</param>
/// <param name="ContactUri">Where to route requests for the AOR.</param>
/// <param name="ExpiresAt">When the binding lapses.</param>
/// <param name="Q">Preference 0.0-1.0.</param>
/// <param name="CallId">Call-ID of the REGISTER that last wrote it.</param>
/// <param name="CSeq">CSeq number of that REGISTER.</param>
/// <param name="Source">Transport source the caller gave (e.g. the UDP endpoint to reach the UA behind NAT).</param>
/// <param name="InstanceId">+sip.instance, or null.</param>
/// <param name="UpdatedAt">When it was created or last refreshed.</param>
public sealed record Binding(
    string Aor,
    string ContactUri,
    DateTimeOffset ExpiresAt,
    double Q,
    string CallId,
    uint CSeq,
    object? Source,
    string? InstanceId,
    DateTimeOffset UpdatedAt)
{
    /// <summary>Seconds left at <paramref name="now"/> (for the Contact expires parameter of the 200 OK), never negative.</summary>
    public int RemainingSeconds(DateTimeOffset now) => (int)Math.Max(0, Math.Ceiling((ExpiresAt - now).TotalSeconds));
}
