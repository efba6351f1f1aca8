namespace Telephony.Pbx.Sdp;

/// <summary>Per-line grammar of RFC 8866 §5 / §9.</summary>
public static partial class SdpParser
{
    private static readonly char[] Space = [' '];

    /// <summary>Applies one line; returns an error message or null.</summary>
    private static string? ParseLine(ParseState s, char type, string value, int lineNumber, out SdpErrorKind kind)
    {
        kind = SdpErrorKind.UnexpectedLine;
        SdpDescription d = s.Description;
        if (!s.SeenVersion)
        {
            if (type != 'v')
            {
                kind = SdpErrorKind.MissingLine;
                return "first line must be v=0";
            }

            s.SeenVersion = true;
            kind = SdpErrorKind.Syntax;
            return value == "0" ? null : $"unsupported SDP version '{Clip(value)}' (only v=0)";
        }

        if (type == 'm')
        {
            return ParseMedia(s, value, lineNumber, out kind);
        }

        if (s.CurrentMedia is { } m)
        {
            return ParseMediaLine(m, type, value, out kind);
        }

        switch (type)
        {
            case 'v':
                return "duplicate v= line";
            case 'o':
                if (s.SeenOrigin)
                {
                    return "duplicate o= line";
                }

                s.SeenOrigin = true;
                return ParseOrigin(d, value, out kind);
            case 's':
                if (s.SeenName)
                {
                    return "duplicate s= line";
                }

                s.SeenName = true;
                d.SessionName = value;
                return null;
            case 'i':
                if (d.Information is not null)
                {
                    return "duplicate session-level i= line";
                }

                d.Information = value;
                return null;
            case 'u':
                if (d.Uri is not null)
                {
                    return "duplicate u= line";
                }

                d.Uri = value;
                return null;
            case 'e':
                d.Emails.Add(value);
                return null;
            case 'p':
                d.Phones.Add(value);
                return null;
            case 'c':
                if (d.Connection is not null)
                {
                    return "duplicate session-level c= line";
                }

                d.Connection = ParseConnection(value, out string? cProblem);
                kind = SdpErrorKind.Syntax;
                return cProblem;
            case 'b':
                kind = SdpErrorKind.Syntax;
                return AddBandwidth(d.Bandwidths, value);
            case 't':
                return ParseTiming(d, value, out kind);
            case 'r':
                if (d.Timings.Count == 0)
                {
                    return "r= line without a preceding t= line";
                }

                d.Timings[^1].Repeats.Add(value);
                return null;
            case 'z':
                if (d.TimeZones is not null)
                {
                    return "duplicate z= line";
                }

                d.TimeZones = value;
                return null;
            case 'k':
                if (d.EncryptionKey is not null)
                {
                    return "duplicate session-level k= line";
                }

                d.EncryptionKey = value;
                return null;
            case 'a':
                return ParseAttribute(d.Attributes, value, out kind);
            default:
                return $"unknown line type '{type}='";
        }
    }

    private static string? ParseMediaLine(SdpMedia m, char type, string value, out SdpErrorKind kind)
    {
        kind = SdpErrorKind.UnexpectedLine;
        switch (type)
        {
            case 'i':
                if (m.Information is not null)
                {
                    return "duplicate media-level i= line";
                }

                m.Information = value;
                return null;
            case 'c':
                if (m.Connection is not null)
                {
                    return "more than one c= line in a media description";
                }

                m.Connection = ParseConnection(value, out string? cProblem);
                kind = SdpErrorKind.Syntax;
                return cProblem;
            case 'b':
                kind = SdpErrorKind.Syntax;
                return AddBandwidth(m.Bandwidths, value);
            case 'k':
                if (m.EncryptionKey is not null)
                {
                    return "duplicate media-level k= line";
                }

                m.EncryptionKey = value;
                return null;
            case 'a':
                return ParseAttribute(m.Attributes, value, out kind);
            default:
                return $"'{type}=' line is not allowed inside a media description";
        }
    }

    private static string? ParseOrigin(SdpDescription d, string value, out SdpErrorKind kind)
    {
        kind = SdpErrorKind.Syntax;
        string[] f = value.Split(Space, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 6)
        {
            return "o= must be '<username> <sess-id> <sess-version> <nettype> <addrtype> <address>'";
        }

        if (!SdpNumbers.IsNonWsString(f[0]))
        {
            return "o= username is invalid";
        }

        if (!SdpNumbers.TryParseULong(f[1], out ulong id) || !SdpNumbers.TryParseULong(f[2], out ulong version))
        {
            kind = SdpErrorKind.OutOfRange;
            return "o= sess-id and sess-version must be unsigned 64-bit decimal numbers";
        }

        if (!SdpNumbers.IsToken(f[3]) || !SdpNumbers.IsToken(f[4]) || !SdpNumbers.IsNonWsString(f[5]))
        {
            return "o= network type, address type or address is invalid";
        }

        d.Origin = new SdpOrigin(f[0], id, version, f[3], f[4], f[5]);
        return null;
    }

    private static SdpConnection? ParseConnection(string value, out string? problem)
    {
        string[] f = value.Split(Space, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 3 || !SdpNumbers.IsToken(f[0]) || !SdpNumbers.IsToken(f[1]) || !SdpNumbers.IsNonWsString(f[2]))
        {
            problem = "c= must be '<nettype> <addrtype> <connection-address>'";
            return null;
        }

        problem = null;
        return new SdpConnection(f[0], f[1], f[2]);
    }

    private static string? AddBandwidth(List<string> list, string value)
    {
        int colon = value.IndexOf(':');
        if (colon <= 0 || !SdpNumbers.IsToken(value.AsSpan(0, colon))
            || !SdpNumbers.TryParseULong(value.AsSpan(colon + 1), out _))
        {
            return "b= must be '<bwtype>:<bandwidth>'";
        }

        list.Add(value);
        return null;
    }

    private static string? ParseTiming(SdpDescription d, string value, out SdpErrorKind kind)
    {
        kind = SdpErrorKind.Syntax;
        string[] f = value.Split(Space, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length != 2 || !SdpNumbers.TryParseULong(f[0], out ulong start) || !SdpNumbers.TryParseULong(f[1], out ulong stop))
        {
            return "t= must be '<start-time> <stop-time>' (decimal)";
        }

        d.Timings.Add(new SdpTiming(start, stop));
        return null;
    }

    private static string? ParseAttribute(List<SdpAttribute> list, string value, out SdpErrorKind kind)
    {
        kind = SdpErrorKind.Syntax;
        int colon = value.IndexOf(':');
        string name = colon < 0 ? value : value[..colon];
        if (!SdpNumbers.IsToken(name))
        {
            return $"attribute name '{Clip(name)}' is not a token";
        }

        string? attrValue = colon < 0 ? null : value[(colon + 1)..];
        if (name == "rtpmap" && !SdpRtpMap.TryParse(attrValue, out _, out string? problem))
        {
            kind = problem!.Contains("must be 0", StringComparison.Ordinal) || problem.Contains("must be 1", StringComparison.Ordinal)
                ? SdpErrorKind.OutOfRange
                : SdpErrorKind.Syntax;
            return "bad a=rtpmap: " + problem;
        }

        list.Add(new SdpAttribute(name, attrValue));
        return null;
    }

    private static string? ParseMedia(ParseState s, string value, int lineNumber, out SdpErrorKind kind)
    {
        kind = SdpErrorKind.TooManyMedia;
        if (s.Description.Media.Count >= SdpLimits.MaxMediaCount)
        {
            return $"more than {SdpLimits.MaxMediaCount} m= lines";
        }

        kind = SdpErrorKind.Syntax;
        string[] f = value.Split(Space, StringSplitOptions.RemoveEmptyEntries);
        if (f.Length < 4)
        {
            return "m= must be '<media> <port>[/<count>] <proto> <fmt> ...'";
        }

        if (!SdpNumbers.IsToken(f[0]))
        {
            return "m= media type is not a token";
        }

        var m = new SdpMedia { Media = f[0] };
        int slash = f[1].IndexOf('/');
        ReadOnlySpan<char> portText = slash < 0 ? f[1] : f[1].AsSpan(0, slash);
        kind = SdpErrorKind.OutOfRange;
        if (!SdpNumbers.TryParseInt(portText, 0, 65535, out int port))
        {
            return $"m= port '{Clip(f[1])}' must be 0-65535";
        }

        m.Port = port;
        if (slash >= 0)
        {
            if (!SdpNumbers.TryParseInt(f[1].AsSpan(slash + 1), 1, 65535, out int count))
            {
                return "m= port count must be 1-65535";
            }

            m.PortCount = count;
        }

        kind = SdpErrorKind.Syntax;
        foreach (string part in f[2].Split('/'))
        {
            if (!SdpNumbers.IsToken(part))
            {
                return $"m= protocol '{Clip(f[2])}' is invalid";
            }
        }

        m.Protocol = f[2];
        if (f.Length - 3 > SdpLimits.MaxFormatsPerMedia)
        {
            kind = SdpErrorKind.OutOfRange;
            return $"m= has more than {SdpLimits.MaxFormatsPerMedia} formats";
        }

        for (int i = 3; i < f.Length; i++)
        {
            if (m.IsRtp && !SdpNumbers.TryParseInt(f[i], 0, 127, out _))
            {
                kind = SdpErrorKind.OutOfRange;
                return $"m= RTP payload type '{Clip(f[i])}' must be 0-127";
            }

            if (!SdpNumbers.IsNonWsString(f[i]))
            {
                return "m= format is invalid";
            }

            m.Formats.Add(f[i]);
        }

        s.Description.Media.Add(m);
        s.MediaLines.Add(lineNumber);
        s.CurrentMedia = m;
        return null;
    }

    /// <summary>Keeps hostile input out of error messages beyond a short prefix.</summary>
    private static string Clip(string text) => text.Length <= 32 ? text : text[..32] + "...";
}
