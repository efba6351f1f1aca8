using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// Parses session descriptions (RFC 8866 §5 and §9 grammar; RFC 4566 compatible). Never throws on network input:
/// every problem becomes an <see cref="SdpError"/> naming the line. Accepts CRLF or bare LF line ends and skips
/// blank lines; enforces <see cref="SdpLimits"/>.
/// </summary>
public static partial class SdpParser
{
    /// <summary>Parses a UTF-8 body.</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out SdpDescription? description, out SdpError? error)
    {
        description = null;
        if (utf8.Length > SdpLimits.MaxSizeBytes)
        {
            error = new SdpError(SdpErrorKind.TooLarge, 0, $"SDP body is {utf8.Length} bytes; limit is {SdpLimits.MaxSizeBytes}");
            return false;
        }

        if (!Utf8.IsValid(utf8))
        {
            error = new SdpError(SdpErrorKind.InvalidEncoding, 0, "SDP body is not valid UTF-8");
            return false;
        }

        // Decoded into a pooled buffer, not a string of the whole body: only the line values the parse keeps become strings.
        char[] chars = ArrayPool<char>.Shared.Rent(utf8.Length);
        try
        {
            int n = Encoding.UTF8.GetChars(utf8, chars);
            return TryParseText(chars.AsSpan(0, n), out description, out error);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>Parses a body already decoded to text.</summary>
    public static bool TryParse(string? text, out SdpDescription? description, out SdpError? error)
    {
        description = null;
        if (text is null)
        {
            error = new SdpError(SdpErrorKind.MissingLine, 0, "SDP body is missing");
            return false;
        }

        if (text.Length > SdpLimits.MaxSizeBytes || Encoding.UTF8.GetByteCount(text) > SdpLimits.MaxSizeBytes)
        {
            error = new SdpError(SdpErrorKind.TooLarge, 0, $"SDP body exceeds {SdpLimits.MaxSizeBytes} bytes");
            return false;
        }

        return TryParseText(text, out description, out error);
    }

    private static bool TryParseText(ReadOnlySpan<char> text, out SdpDescription? description, out SdpError? error)
    {
        description = null;
        var state = new ParseState();
        int pos = 0;
        int lineNumber = 0;
        while (pos < text.Length)
        {
            int nl = text[pos..].IndexOf('\n');
            int end = nl < 0 ? text.Length : pos + nl;
            nl = nl < 0 ? -1 : end;
            ReadOnlySpan<char> line = text[pos..end];
            pos = nl < 0 ? text.Length : nl + 1;
            lineNumber++;
            if (lineNumber > SdpLimits.MaxLines)
            {
                error = new SdpError(SdpErrorKind.TooManyLines, lineNumber, $"more than {SdpLimits.MaxLines} lines");
                return false;
            }

            if (line.Length > 0 && line[^1] == '\r')
            {
                line = line[..^1];
            }

            if (line.Length > SdpLimits.MaxLineLength)
            {
                error = new SdpError(SdpErrorKind.LineTooLong, lineNumber,
                    $"line is {line.Length} characters; limit is {SdpLimits.MaxLineLength}");
                return false;
            }

            if (line.IsEmpty)
            {
                continue;
            }

            if (line.IndexOfAny('\0', '\r') >= 0)
            {
                error = new SdpError(SdpErrorKind.InvalidEncoding, lineNumber, "line contains NUL or a stray CR");
                return false;
            }

            if (line.Length < 2 || line[1] != '=' || line[0] is < 'a' or > 'z')
            {
                error = new SdpError(SdpErrorKind.Syntax, lineNumber, "expected '<type letter>=<value>'");
                return false;
            }

            string? problem = ParseLine(state, line[0], line[2..].ToString(), lineNumber, out SdpErrorKind kind);
            if (problem is not null)
            {
                error = new SdpError(kind, lineNumber, problem);
                return false;
            }
        }

        return Finish(state, out description, out error);
    }

    private static bool Finish(ParseState state, out SdpDescription? description, out SdpError? error)
    {
        description = null;
        if (!state.SeenVersion)
        {
            error = new SdpError(SdpErrorKind.MissingLine, 0, "SDP body is empty (no v= line)");
            return false;
        }

        if (!state.SeenOrigin)
        {
            error = new SdpError(SdpErrorKind.MissingLine, 0, "missing o= line");
            return false;
        }

        SdpDescription d = state.Description;
        for (int i = 0; i < d.Media.Count; i++)
        {
            SdpMedia m = d.Media[i];
            if (m.Port != 0 && m.Connection is null && d.Connection is null)
            {
                error = new SdpError(SdpErrorKind.MissingLine, state.MediaLines[i],
                    $"media #{i + 1} ({m.Media}) has no c= line and there is no session-level c= line");
                return false;
            }
        }

        description = d;
        error = null;
        return true;
    }

    private sealed class ParseState
    {
        public SdpDescription Description { get; } = new();

        public bool SeenVersion { get; set; }

        public bool SeenOrigin { get; set; }

        public bool SeenName { get; set; }

        public SdpMedia? CurrentMedia { get; set; }

        public List<int> MediaLines { get; } = [];
    }
}
