namespace Telephony.Pbx.Sip.Registrar;

/// <summary>Result of checking Digest credentials (RFC 7616 §3.4, RFC 3261 §22.4).</summary>
public enum DigestOutcome
{
    /// <summary>Credentials are valid.</summary>
    Ok,

    /// <summary>Digest was right but the nonce is too old (or its nc was replayed): re-challenge with stale=true.</summary>
    Stale,

    /// <summary>The response does not match the user's password.</summary>
    WrongPassword,

    /// <summary>The password lookup returned null.</summary>
    UnknownUser,

    /// <summary>The header value could not be parsed or lacks required parameters.</summary>
    Malformed,

    /// <summary>The realm is not ours.</summary>
    RealmMismatch,

    /// <summary>algorithm or qop we do not implement (e.g. auth-int).</summary>
    UnsupportedAlgorithm,

    /// <summary>The nonce was not issued by us (tampered, from before a key change, or to another source address): re-challenge.</summary>
    InvalidNonce,

    /// <summary>The digest-uri is not the Request-URI (RFC 3261 §22.4, RFC 2617 §3.2.2.5): answer 400.</summary>
    UriMismatch,
}
