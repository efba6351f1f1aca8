using System.Security.Cryptography;
using System.Text;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>Names and hash computations for <see cref="DigestAlgorithm"/> (RFC 7616 §3.4.1-§3.4.3).</summary>
public static class DigestAlgorithms
{
    /// <summary>The token used in the algorithm parameter.</summary>
    public static string ToToken(this DigestAlgorithm algorithm) => algorithm switch
    {
        DigestAlgorithm.Md5Sess => "MD5-sess",
        DigestAlgorithm.Sha256 => "SHA-256",
        DigestAlgorithm.Sha256Sess => "SHA-256-sess",
        _ => "MD5",
    };

    /// <summary>Parses an algorithm token case-insensitively; null or empty means MD5.</summary>
    public static bool TryParse(string? token, out DigestAlgorithm algorithm)
    {
        algorithm = DigestAlgorithm.Md5;
        if (string.IsNullOrEmpty(token) || token.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (token.Equals("MD5-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Md5Sess;
            return true;
        }

        if (token.Equals("SHA-256", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256;
            return true;
        }

        if (token.Equals("SHA-256-sess", StringComparison.OrdinalIgnoreCase))
        {
            algorithm = DigestAlgorithm.Sha256Sess;
            return true;
        }

        return false;
    }

    /// <summary>
    /// The request-digest (RFC 7616 §3.4.1; RFC 2617 §3.2.2.1 when <paramref name="qop"/> is null):
    /// KD(H(A1), nonce ":" nc ":" cnonce ":" qop ":" H(A2)), with A1 of §3.4.2 and A2 = method ":" uri (qop=auth).
    /// </summary>
    public static string ComputeResponse(
        DigestAlgorithm algorithm, string userName, string realm, string password, string method, string uri,
        string nonce, string? qop, string? nonceCount, string? cnonce)
    {
        return ComputeResponseFromHa1(algorithm, Hash(algorithm, $"{userName}:{realm}:{password}"), method, uri, nonce, qop,
            nonceCount, cnonce);
    }

    /// <summary>The request-digest from the user's HA1 = H(username:realm:password) (RFC 7616 §3.4.1-3.4.2), as
    /// <see cref="ComputeResponse"/> computes it from the password.</summary>
    public static string ComputeResponseFromHa1(
        DigestAlgorithm algorithm, string ha1, string method, string uri, string nonce, string? qop, string? nonceCount, string? cnonce)
    {
        if (algorithm is DigestAlgorithm.Md5Sess or DigestAlgorithm.Sha256Sess)
        {
            ha1 = Hash(algorithm, $"{ha1}:{nonce}:{cnonce}");
        }

        string ha2 = Hash(algorithm, $"{method}:{uri}");
        return qop is null
            ? Hash(algorithm, $"{ha1}:{nonce}:{ha2}")
            : Hash(algorithm, $"{ha1}:{nonce}:{nonceCount}:{cnonce}:{qop}:{ha2}");
    }

    /// <summary>Lower-case hex digest of the UTF-8 text.</summary>
    public static string Hash(DigestAlgorithm algorithm, string text)
    {
        byte[] data = Encoding.UTF8.GetBytes(text);
        byte[] digest = algorithm is DigestAlgorithm.Sha256 or DigestAlgorithm.Sha256Sess
            ? SHA256.HashData(data)
            : MD5.HashData(data);
        return Convert.ToHexStringLower(digest);
    }
}
