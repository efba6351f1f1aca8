namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// What a user's digest credentials are checked against (RFC 3261 §22, RFC 7616 §3.4.2): the password, or instead its
/// HA1 = H(username ":" realm ":" password) for MD5 and/or SHA-256, so that a configuration need not hold the plaintext.
/// An HA1 is tied to the realm: changing <c>sip.realm</c> invalidates it.
/// </summary>
/// <param name="Password">The plaintext secret, or null.</param>
/// <param name="Ha1Md5">Lower-case hex MD5(user:realm:password), for MD5 and MD5-sess, or null.</param>
/// <param name="Ha1Sha256">Lower-case hex SHA-256(user:realm:password), for SHA-256 and SHA-256-sess, or null.</param>
public sealed record SipSecret(string? Password, string? Ha1Md5 = null, string? Ha1Sha256 = null)
{
    public static SipSecret FromPassword(string password) => new(password);

    /// <summary>The HA1 for <paramref name="algorithm"/> (before the -sess step), or null when this secret has none.</summary>
    public string? Ha1(DigestAlgorithm algorithm, string userName, string realm)
    {
        if (Password is not null)
        {
            return DigestAlgorithms.Hash(algorithm, $"{userName}:{realm}:{Password}");
        }
        var ha1 = algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess ? Ha1Sha256 : Ha1Md5;
        return string.IsNullOrWhiteSpace(ha1) ? null : ha1.Trim().ToLowerInvariant();
    }
}
