using System.Globalization;

namespace Telephony.Host.Api;

/// <summary>
/// Reads a time from a query-string parameter (<c>from</c>, <c>to</c>) the one way every API accepts it: ISO 8601
/// (RFC 3339) with or without an offset, a missing offset meaning UTC. An empty parameter is not an error: it keeps
/// the caller's fallback.
/// </summary>
internal static class QueryTime
{
    /// <summary>
    /// Parses <paramref name="text"/>; false only when it is present and not a time (the caller answers 400).
    /// </summary>
    public static bool TryParse(string? text, DateTimeOffset? fallback, out DateTimeOffset? value)
    {
        value = fallback;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    /// <summary>As <see cref="TryParse(string?, DateTimeOffset?, out DateTimeOffset?)"/> with a fallback that always exists.</summary>
    public static bool TryParse(string? text, DateTimeOffset fallback, out DateTimeOffset value)
    {
        bool ok = TryParse(text, (DateTimeOffset?)fallback, out DateTimeOffset? parsed);
        value = parsed ?? fallback;
        return ok;
    }
}
