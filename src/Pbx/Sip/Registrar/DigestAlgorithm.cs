namespace Telephony.Pbx.Sip.Registrar;

/// <summary>Digest hash algorithms (RFC 7616 §3.3/§6.1, used by SIP per RFC 8760 §2).</summary>
public enum DigestAlgorithm
{
    /// <summary>"MD5" (RFC 2617 / RFC 3261 default when no algorithm is given).</summary>
    Md5,

    /// <summary>"MD5-sess".</summary>
    Md5Sess,

    /// <summary>"SHA-256" (RFC 8760).</summary>
    Sha256,

    /// <summary>"SHA-256-sess".</summary>
    Sha256Sess,
}
