using System.Globalization;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// An a=rtpmap value (RFC 8866 §6.6): payload type to encoding name, clock rate and channel count, or the static
/// assignment of RFC 3551 §6 when no rtpmap line is present.
/// </summary>
public readonly record struct SdpRtpMap(int PayloadType, string EncodingName, int ClockRateHz, int Channels)
{
    /// <summary>Largest clock rate accepted from the network [Hz].</summary>
    public const int MaxClockRateHz = 1_000_000;

    /// <summary>Largest channel count accepted from the network.</summary>
    public const int MaxChannels = 64;

    /// <summary>The RFC 3551 §6 static audio payload type, if <paramref name="payloadType"/> is one we know.</summary>
    public static bool TryGetStatic(int payloadType, out SdpRtpMap map)
    {
        map = payloadType switch
        {
            0 => new SdpRtpMap(0, "PCMU", 8000, 1),
            3 => new SdpRtpMap(3, "GSM", 8000, 1),
            4 => new SdpRtpMap(4, "G723", 8000, 1),
            8 => new SdpRtpMap(8, "PCMA", 8000, 1),
            9 => new SdpRtpMap(9, "G722", 8000, 1),
            18 => new SdpRtpMap(18, "G729", 8000, 1),
            _ => default,
        };
        return map.EncodingName is not null;
    }

    /// <summary>Parses "&lt;pt&gt; &lt;encoding&gt;/&lt;clock&gt;[/&lt;channels&gt;]"; never throws.</summary>
    public static bool TryParse(string? value, out SdpRtpMap map, out string? problem)
    {
        map = default;
        if (value is null)
        {
            problem = "rtpmap has no value";
            return false;
        }

        int space = value.IndexOf(' ');
        if (space <= 0)
        {
            problem = "rtpmap must be '<payload type> <encoding>/<clock rate>'";
            return false;
        }

        if (!SdpNumbers.TryParseInt(value.AsSpan(0, space), 0, 127, out int pt))
        {
            problem = "rtpmap payload type must be 0-127";
            return false;
        }

        string[] parts = value[(space + 1)..].Trim().Split('/');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0 || !SdpNumbers.IsToken(parts[0]))
        {
            problem = "rtpmap encoding must be '<name>/<clock rate>[/<channels>]'";
            return false;
        }

        if (!SdpNumbers.TryParseInt(parts[1], 1, MaxClockRateHz, out int clock))
        {
            problem = $"rtpmap clock rate must be 1-{MaxClockRateHz}";
            return false;
        }

        int channels = 1;
        if (parts.Length == 3 && !SdpNumbers.TryParseInt(parts[2], 1, MaxChannels, out channels))
        {
            problem = $"rtpmap channel count must be 1-{MaxChannels}";
            return false;
        }

        map = new SdpRtpMap(pt, parts[0], clock, channels);
        problem = null;
        return true;
    }

    /// <summary>The a=rtpmap value text.</summary>
    public override string ToString() => Channels == 1
        ? string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRateHz}")
        : string.Create(CultureInfo.InvariantCulture, $"{PayloadType} {EncodingName}/{ClockRateHz}/{Channels}");
}
