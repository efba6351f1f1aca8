namespace Telephony.Pbx.Calls.Configuration;

/// <summary>Reads <see cref="MediaSecurity"/> from configuration text.</summary>
public static class MediaSecurities
{
    /// <summary>Parses <c>off|optional|required</c> (case-insensitive); false for anything else.</summary>
    public static bool TryParse(string? text, out MediaSecurity security)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "off":
            case "false":
                security = MediaSecurity.Off;
                return true;
            case "optional":
                security = MediaSecurity.Optional;
                return true;
            case "required":
            case "mandatory":
                security = MediaSecurity.Required;
                return true;
            default:
                security = MediaSecurity.Off;
                return false;
        }
    }

    public static MediaSecurity Parse(string? text) => TryParse(text, out var s) ? s : MediaSecurity.Off;
}
