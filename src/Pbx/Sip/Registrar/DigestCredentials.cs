using System.Text;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Digest credentials: the value of Authorization / Proxy-Authorization (RFC 7616 §3.4, RFC 3261 §22.4 and §25.1
/// "credentials"). <see cref="TryParse"/> never throws; <see cref="ToString"/> writes the header value.
/// </summary>
public sealed record DigestCredentials
{
    /// <summary>username.</summary>
    public required string UserName { get; init; }

    /// <summary>realm.</summary>
    public required string Realm { get; init; }

    /// <summary>nonce echoed from the challenge.</summary>
    public required string Nonce { get; init; }

    /// <summary>digest-uri ("uri").</summary>
    public required string Uri { get; init; }

    /// <summary>response: the hex request-digest.</summary>
    public required string Response { get; init; }

    /// <summary>The algorithm token as received, or null (MD5).</summary>
    public string? AlgorithmName { get; init; }

    /// <summary>cnonce, or null.</summary>
    public string? Cnonce { get; init; }

    /// <summary>opaque echoed from the challenge, or null.</summary>
    public string? Opaque { get; init; }

    /// <summary>qop chosen ("auth"), or null.</summary>
    public string? Qop { get; init; }

    /// <summary>nc: 8 hex digits, or null.</summary>
    public string? NonceCount { get; init; }

    /// <summary>Parses a header value such as <c>Digest username="u", realm="r", ...</c>.</summary>
    public static bool TryParse(string? headerValue, out DigestCredentials? credentials)
    {
        credentials = null;
        if (!DigestParameters.TryParse(headerValue, out Dictionary<string, string> p)
            || !p.TryGetValue("username", out string? user) || !p.TryGetValue("realm", out string? realm)
            || !p.TryGetValue("nonce", out string? nonce) || !p.TryGetValue("uri", out string? uri)
            || !p.TryGetValue("response", out string? response))
        {
            return false;
        }

        credentials = new DigestCredentials
        {
            UserName = user,
            Realm = realm,
            Nonce = nonce,
            Uri = uri,
            Response = response,
            AlgorithmName = p.GetValueOrDefault("algorithm"),
            Cnonce = p.GetValueOrDefault("cnonce"),
            Opaque = p.GetValueOrDefault("opaque"),
            Qop = p.GetValueOrDefault("qop"),
            NonceCount = p.GetValueOrDefault("nc"),
        };
        return true;
    }

    /// <summary>The header value: <c>Digest username="...", realm="...", ...</c>.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("Digest ");
        DigestParameters.AppendQuoted(sb, "username", UserName);
        DigestParameters.AppendQuoted(sb.Append(", "), "realm", Realm);
        DigestParameters.AppendQuoted(sb.Append(", "), "nonce", Nonce);
        DigestParameters.AppendQuoted(sb.Append(", "), "uri", Uri);
        DigestParameters.AppendQuoted(sb.Append(", "), "response", Response);
        if (AlgorithmName is not null)
        {
            sb.Append(", algorithm=").Append(AlgorithmName);
        }

        if (Cnonce is not null)
        {
            DigestParameters.AppendQuoted(sb.Append(", "), "cnonce", Cnonce);
        }

        if (Opaque is not null)
        {
            DigestParameters.AppendQuoted(sb.Append(", "), "opaque", Opaque);
        }

        if (Qop is not null)
        {
            sb.Append(", qop=").Append(Qop);
        }

        if (NonceCount is not null)
        {
            sb.Append(", nc=").Append(NonceCount);
        }

        return sb.ToString();
    }
}
