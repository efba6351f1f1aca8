using System.Text;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// A Digest challenge: the value of WWW-Authenticate / Proxy-Authenticate (RFC 7616 §3.3, RFC 3261 §22.4 and
/// §25.1 "challenge"). <see cref="TryParse"/> never throws; <see cref="ToString"/> writes the header value.
/// </summary>
public sealed record DigestChallenge
{
    /// <summary>realm (required).</summary>
    public required string Realm { get; init; }

    /// <summary>nonce (required).</summary>
    public required string Nonce { get; init; }

    /// <summary>opaque, or null.</summary>
    public string? Opaque { get; init; }

    /// <summary>domain, or null.</summary>
    public string? Domain { get; init; }

    /// <summary>The algorithm token as received (null when absent, which means MD5).</summary>
    public string? AlgorithmName { get; init; }

    /// <summary>qop options, e.g. ["auth"]; empty when the challenge has no qop (RFC 2069 compatibility).</summary>
    public IReadOnlyList<string> QopOptions { get; init; } = [];

    /// <summary>stale=true: the previous request had a valid digest but an old nonce (RFC 7616 §3.3).</summary>
    public bool Stale { get; init; }

    /// <summary>The parsed algorithm; false for algorithms we do not implement.</summary>
    public bool TryGetAlgorithm(out DigestAlgorithm algorithm) => DigestAlgorithms.TryParse(AlgorithmName, out algorithm);

    /// <summary>Parses a header value such as <c>Digest realm="x", nonce="y", qop="auth"</c>.</summary>
    public static bool TryParse(string? headerValue, out DigestChallenge? challenge)
    {
        challenge = null;
        if (!DigestParameters.TryParse(headerValue, out Dictionary<string, string> p)
            || !p.TryGetValue("realm", out string? realm) || !p.TryGetValue("nonce", out string? nonce))
        {
            return false;
        }

        string[] qop = p.TryGetValue("qop", out string? q)
            ? q.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        challenge = new DigestChallenge
        {
            Realm = realm,
            Nonce = nonce,
            Opaque = p.GetValueOrDefault("opaque"),
            Domain = p.GetValueOrDefault("domain"),
            AlgorithmName = p.GetValueOrDefault("algorithm"),
            QopOptions = qop,
            Stale = p.TryGetValue("stale", out string? stale) && stale.Equals("true", StringComparison.OrdinalIgnoreCase),
        };
        return true;
    }

    /// <summary>The header value: <c>Digest realm="...", nonce="...", ...</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Digest ");
        DigestParameters.AppendQuoted(sb, "realm", Realm);
        if (Domain is not null)
        {
            DigestParameters.AppendQuoted(sb.Append(", "), "domain", Domain);
        }

        DigestParameters.AppendQuoted(sb.Append(", "), "nonce", Nonce);
        if (Opaque is not null)
        {
            DigestParameters.AppendQuoted(sb.Append(", "), "opaque", Opaque);
        }

        if (Stale)
        {
            sb.Append(", stale=true");
        }

        if (AlgorithmName is not null)
        {
            sb.Append(", algorithm=").Append(AlgorithmName);
        }

        if (QopOptions.Count > 0)
        {
            DigestParameters.AppendQuoted(sb.Append(", "), "qop", string.Join(',', QopOptions));
        }

        return sb.ToString();
    }
}
