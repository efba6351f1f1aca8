namespace Telephony.Pbx.Sip.Registrar;

/// <summary>How a <see cref="LocationTable"/> update ended (RFC 3261 §10.3 steps 6-8).</summary>
public enum LocationUpdateOutcome
{
    /// <summary>Applied; answer 200 OK with the current bindings.</summary>
    Ok,

    /// <summary>Same Call-ID with a CSeq not above the stored one (step 7): answer 500 and change nothing.</summary>
    OutOfOrder,

    /// <summary>The AOR would exceed <see cref="LocationTable.MaxBindingsPerAor"/>: answer 403/503 and change nothing.</summary>
    TooManyBindings,
}
