namespace Telephony.Host.Security;

/// <summary>
/// Cross-site request forgery defence for the cookie (besides SameSite=Strict): a state-changing request authenticated
/// by the session cookie must name its own origin (RFC 6454 §7 <c>Origin</c>, else the <c>Referer</c>'s origin), which
/// must be the server's (<c>scheme://host[:port]</c> as the request reached it) or one of <c>http.allowedOrigins</c>.
/// Bearer-token requests are not affected (a browser never adds that header by itself).
/// </summary>
public static class OriginCheck
{
    /// <summary>True for the methods that do not change state (RFC 9110 §9.2.1).</summary>
    public static bool IsSafe(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) || HttpMethods.IsTrace(method);

    /// <summary>The origin the request claims (Origin, else Referer's scheme://host:port), or null when it names none.</summary>
    public static string? ClaimedOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return origin.TrimEnd('/');
        }

        return Uri.TryCreate(request.Headers.Referer.ToString(), UriKind.Absolute, out Uri? referer)
            ? referer.GetLeftPart(UriPartial.Authority)
            : null;
    }

    /// <summary>The request's own origin.</summary>
    public static string OwnOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return $"{request.Scheme}://{request.Host}";
    }

    /// <summary>True when <paramref name="claimed"/> is the server's own origin or an allowed one.</summary>
    public static bool IsAllowed(HttpRequest request, string? claimed, IReadOnlyList<string> allowedOrigins)
    {
        ArgumentNullException.ThrowIfNull(allowedOrigins);
        if (claimed is null)
        {
            return false;
        }

        return string.Equals(claimed, OwnOrigin(request), StringComparison.OrdinalIgnoreCase)
            || allowedOrigins.Contains(claimed, StringComparer.OrdinalIgnoreCase);
    }
}
