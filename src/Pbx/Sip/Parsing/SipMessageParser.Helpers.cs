using System.Buffers;
using System.Text;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Parsing;

/// <summary>Byte-level grammar helpers of the parser (RFC 3261 §25.1).</summary>
public static partial class SipMessageParser
{
    private static readonly string[] KnownMethods =
    [
        SipMethod.Invite, SipMethod.Ack, SipMethod.Bye, SipMethod.Cancel, SipMethod.Register, SipMethod.Options,
        SipMethod.Info, SipMethod.Refer, SipMethod.Notify, SipMethod.Subscribe, SipMethod.Update, SipMethod.Prack,
        SipMethod.Message,
    ];

    // Every C0 control except HTAB, and DEL.
    private static readonly SearchValues<byte> ControlBytes = SearchValues.Create(
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 127]);

    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~"u8);

    private static SipParseError Fail(SipParseErrorReason reason, string? header, int status, string message) =>
        new(reason, header, status, message);

    private static ReadOnlySpan<byte> TrimCr(ReadOnlySpan<byte> line) =>
        line.Length > 0 && line[^1] == (byte)'\r' ? line[..^1] : line;

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';

    private static bool IsAscii(ReadOnlySpan<byte> s) => Ascii.IsValid(s);

    private static bool IsTokenBytes(ReadOnlySpan<byte> s) => s.Length > 0 && !s.ContainsAnyExcept(TokenBytes);

    /// <summary>SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT (case-insensitive "SIP").</summary>
    private static bool IsSipVersion(ReadOnlySpan<byte> s, out bool is20)
    {
        is20 = false;
        if (s.Length < 7 || !Ascii.EqualsIgnoreCase(s[..4], "SIP/"u8))
        {
            return false;
        }

        var v = s[4..];
        var dot = v.IndexOf((byte)'.');
        if (dot <= 0 || dot == v.Length - 1)
        {
            return false;
        }

        foreach (var b in v[..dot])
        {
            if (!IsDigit(b))
            {
                return false;
            }
        }

        foreach (var b in v[(dot + 1)..])
        {
            if (!IsDigit(b))
            {
                return false;
            }
        }

        is20 = v.SequenceEqual("2.0"u8);
        return true;
    }

    private static string? KnownMethod(ReadOnlySpan<byte> method)
    {
        foreach (var known in KnownMethods)
        {
            if (known.Length == method.Length && Ascii.Equals(method, known))
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>
    /// True when the line holds control bytes (NUL, bare CR...). A control byte right after a backslash is a
    /// quoted-pair (RFC 3261 §25.1 allows %x00-09 / %x0B-0C / %x0E-7F there, RFC 4475 §3.1.1.2); CRLF followed by
    /// SP or HTAB is folding when <paramref name="allowFolding"/>.
    /// </summary>
    private static bool HasControlBytes(ReadOnlySpan<byte> line, bool allowFolding)
    {
        var first = line.IndexOfAny(ControlBytes);
        if (first < 0)
        {
            return false;
        }

        for (var i = first; i < line.Length; i++)
        {
            var b = line[i];
            if (b >= 0x20 && b != 0x7F || b == (byte)'\t')
            {
                continue;
            }

            if (allowFolding && b == (byte)'\r' && i + 2 < line.Length && line[i + 1] == (byte)'\n'
                && line[i + 2] is (byte)' ' or (byte)'\t')
            {
                i++;
                continue;
            }

            if (allowFolding && b == (byte)'\n' && i + 1 < line.Length && line[i + 1] is (byte)' ' or (byte)'\t')
            {
                continue;
            }

            if (i > 0 && line[i - 1] == (byte)'\\' && b is not (byte)'\r' and not (byte)'\n')
            {
                continue;
            }

            return true;
        }

        return false;
    }

    /// <summary>Replaces each line break of a folded header with a space (RFC 3261 §7.3.1).</summary>
    private static string Unfold(string value) =>
        value.Replace("\r\n", " ", StringComparison.Ordinal).Replace('\n', ' ');

    /// <summary>Content-Length = 1*DIGIT; values past int range saturate (they can only be too large).</summary>
    private static bool TryParseContentLength(string value, out int length)
    {
        length = 0;
        var s = value.AsSpan().Trim(" \t");
        if (s.Length == 0)
        {
            return false;
        }

        long n = 0;
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            n = Math.Min((n * 10) + (c - '0'), int.MaxValue);
        }

        length = (int)n;
        return true;
    }
}
