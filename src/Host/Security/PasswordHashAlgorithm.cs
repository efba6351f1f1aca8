namespace Telephony.Host.Security;

/// <summary>Which key-derivation function <see cref="PasswordHasher.Hash"/> uses.</summary>
public enum PasswordHashAlgorithm
{
    /// <summary>Argon2id, RFC 9106 (the default).</summary>
    Argon2id,

    /// <summary>PBKDF2-HMAC-SHA256, RFC 8018 §5.2.</summary>
    Pbkdf2Sha256,
}
