using System.Globalization;
using System.Security.Cryptography;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Client side of Digest authentication (RFC 3261 §22.2/§22.3, RFC 7616 §3.4): answers a 401/407 challenge for our
/// own outgoing requests (trunk REGISTER, outbound INVITE) and for tests.
/// </summary>
public static class DigestClient
{
    /// <summary>
    /// The Authorization header value answering <paramref name="challengeHeaderValue"/>, or null when the challenge is
    /// unparsable or uses an algorithm we do not implement. Uses qop=auth when offered. <paramref name="cnonce"/>
    /// defaults to a random value; <paramref name="nonceCount"/> is the nc for this nonce (1 on first use).
    /// </summary>
    public static string? CreateAuthorization(
        string challengeHeaderValue, string method, string uri, string user, string password,
        string? cnonce = null, uint nonceCount = 1)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(password);
        if (!DigestChallenge.TryParse(challengeHeaderValue, out DigestChallenge? ch) || ch is null
            || !ch.TryGetAlgorithm(out DigestAlgorithm algorithm))
        {
            return null;
        }

        bool useQop = ch.QopOptions.Contains("auth", StringComparer.OrdinalIgnoreCase);
        bool sess = algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess;
        if (!useQop && ch.QopOptions.Count > 0)
        {
            return null;
        }

        string? qop = useQop ? "auth" : null;
        string? nc = useQop ? nonceCount.ToString("x8", CultureInfo.InvariantCulture) : null;
        string? cn = useQop || sess ? cnonce ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)) : null;
        string response = DigestAlgorithms.ComputeResponse(algorithm, user, ch.Realm, password, method, uri, ch.Nonce, qop, nc, cn);
        return new DigestCredentials
        {
            UserName = user,
            Realm = ch.Realm,
            Nonce = ch.Nonce,
            Uri = uri,
            Response = response,
            AlgorithmName = ch.AlgorithmName,
            Cnonce = cn,
            Opaque = ch.Opaque,
            Qop = qop,
            NonceCount = nc,
        }.ToString();
    }
}
