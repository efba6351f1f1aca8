using System.Globalization;

namespace Telephony.Host.Api;

/// <summary>The call searches' <c>disposition</c> and <c>csat</c> filters (<c>GET /api/calls</c>, <c>GET /api/console/calls</c>)
/// and the call record's new fields as JSON.</summary>
public static class CallFilters
{
    /// <summary>
    /// <c>csat=4</c> (that score) or <c>csat=1-2</c> (a range, both ends included); scores are 1-5. Empty: no filter.
    /// False with an error for anything else.
    /// </summary>
    public static bool TryParseCsat(string? text, out int? min, out int? max, out string? error)
    {
        min = max = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var parts = text.Split('-', 2);
        if (parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 5))
        {
            min = int.Parse(parts[0], CultureInfo.InvariantCulture);
            max = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            if (min <= max)
            {
                return true;
            }
        }
        min = max = null;
        error = "csat must be a score 1-5 (csat=4) or a range (csat=1-2)";
        return false;
    }

    /// <summary>The disposition code filter: one code; false for an empty or malformed one.</summary>
    public static bool TryParseDisposition(string? text, out string? code, out string? error)
    {
        code = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        error = null;
        if (code is null || code.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return true;
        }
        error = "disposition must be one code (letters, digits, '-' and '_')";
        return false;
    }

    /// <summary>The survey answers JSON of a call record as a JSON element (null when none).</summary>
    public static System.Text.Json.JsonElement? Survey(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            return doc.RootElement.Clone();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    /// <summary>The codes of a call record's <c>disposition</c> column.</summary>
    public static string[] Codes(string? disposition) =>
        string.IsNullOrEmpty(disposition) ? [] : disposition.Split(',', StringSplitOptions.RemoveEmptyEntries);
}
