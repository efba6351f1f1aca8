using System.Security.Cryptography;
using System.Text;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Client side of HTTP digest as used by SIP (RFC 3261 §22.4, RFC 7616 / RFC 8760 for SHA-256):
/// parses a WWW-Authenticate / Proxy-Authenticate challenge and builds the Authorization value, qop=auth.
/// </summary>
public static class DigestAuth
{
    /// <summary>Parses <c>Digest realm="x", nonce="y", qop="auth,auth-int", ...</c> (quoted commas allowed).</summary>
    public static Dictionary<string, string> ParseChallenge(string header)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string s = header.Trim();
        if (s.StartsWith("Digest", StringComparison.OrdinalIgnoreCase))
        {
            s = s[6..];
        }

        int i = 0;
        while (i < s.Length)
        {
            while (i < s.Length && (s[i] == ',' || char.IsWhiteSpace(s[i])))
            {
                i++;
            }

            int eq = s.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            string name = s[i..eq].Trim();
            i = eq + 1;
            string value;
            if (i < s.Length && s[i] == '"')
            {
                int close = s.IndexOf('"', i + 1);
                close = close < 0 ? s.Length : close;
                value = s[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                int comma = s.IndexOf(',', i);
                comma = comma < 0 ? s.Length : comma;
                value = s[i..comma].Trim();
                i = comma;
            }

            result[name] = value;
        }

        return result;
    }

    /// <summary>
    /// Builds the credentials value for <paramref name="challenge"/> (MD5 or SHA-256; qop=auth when offered).
    /// <paramref name="algorithm"/> overrides the challenge's algorithm (to test servers that must refuse it).
    /// </summary>
    public static string Answer(
        string challenge, string method, string uri, string user, string password, string? cnonce = null, string? algorithm = null)
    {
        Dictionary<string, string> c = ParseChallenge(challenge);
        string realm = c.GetValueOrDefault("realm", string.Empty);
        string nonce = c.GetValueOrDefault("nonce", string.Empty);
        algorithm ??= c.GetValueOrDefault("algorithm", "MD5");
        Func<string, string> h = algorithm.ToUpperInvariant() switch
        {
            "SHA-256" => s => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s))),
            "MD5" => s => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(s))),
            _ => throw new NotSupportedException("digest algorithm " + algorithm),
        };
        string ha1 = h($"{user}:{realm}:{password}");
        string ha2 = h($"{method}:{uri}");
        bool qop = c.TryGetValue("qop", out string? qops) &&
                   qops.Split(',', StringSplitOptions.TrimEntries).Contains("auth", StringComparer.OrdinalIgnoreCase);
        cnonce ??= Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        const string nc = "00000001";
        string response = qop ? h($"{ha1}:{nonce}:{nc}:{cnonce}:auth:{ha2}") : h($"{ha1}:{nonce}:{ha2}");
        var sb = new StringBuilder();
        sb.Append($"Digest username=\"{user}\", realm=\"{realm}\", nonce=\"{nonce}\", uri=\"{uri}\", response=\"{response}\", algorithm={algorithm}");
        if (qop)
        {
            sb.Append($", qop=auth, nc={nc}, cnonce=\"{cnonce}\"");
        }

        if (c.TryGetValue("opaque", out string? opaque))
        {
            sb.Append($", opaque=\"{opaque}\"");
        }

        return sb.ToString();
    }
}
