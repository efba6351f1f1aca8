using System.Globalization;
using System.Numerics;

namespace Telephony.Pbx.Rtp.Srtp;

/// <content>Parsing of the RFC 4568 §9 grammar for the SRTP key method.</content>
public sealed partial class SdesCryptoAttribute
{
    private const string InlinePrefix = "inline:";

    /// <summary>
    /// Parses an <c>a=crypto</c> value (without <c>a=crypto:</c>). Returns <see cref="SdesError.None"/> and the line, or
    /// the reason it is refused (and null); never throws for bad input.
    /// </summary>
    public static SdesError TryParse(string? value, out SdesCryptoAttribute? attribute)
    {
        attribute = null;
        var error = ReadHead(value, out var tag, out var suite, out var rest);
        if (error != SdesError.None)
        {
            return error;
        }

        if (!SrtpProfile.TryFromSdesName(suite, out var profile))
        {
            return SdesError.UnsupportedSuite;
        }

        // key-params, then session parameters, separated by whitespace.
        var parts = rest.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            return SdesError.Malformed;
        }

        error = ReadKeyParams(parts[0], profile, out var keySalt, out var lifetime);
        if (error != SdesError.None)
        {
            return error;
        }

        foreach (var parameter in parts.AsSpan(1))
        {
            if (!IsSupportedSessionParameter(parameter))
            {
                return SdesError.UnsupportedSessionParameter;
            }
        }

        attribute = new SdesCryptoAttribute(tag, profile, keySalt!, lifetime);
        return SdesError.None;
    }

    /// <summary>The tag and suite of a line, even one whose key is refused (for a log line that names the suite).</summary>
    internal static SdesError ReadHead(string? value, out int tag, out string suite, out string rest)
    {
        tag = 0;
        suite = "";
        rest = "";
        var fields = (value ?? "").Trim().Split([' ', '\t'], 3, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 3)
        {
            return SdesError.Malformed;
        }

        suite = fields[1];
        rest = fields[2];
        if (fields[0].Length is < 1 or > 9 || !fields[0].All(char.IsAsciiDigit))
        {
            return SdesError.BadTag;
        }

        tag = int.Parse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture);
        return SdesError.None;
    }

    private static SdesError ReadKeyParams(string keyParams, SrtpProfile profile, out byte[]? keySalt,
        out long? lifetime)
    {
        keySalt = null;
        lifetime = null;
        if (keyParams.Contains(';', StringComparison.Ordinal))
        {
            return SdesError.MultipleKeysNotSupported;
        }

        if (!keyParams.StartsWith(InlinePrefix, StringComparison.Ordinal))
        {
            return keyParams.Contains(':', StringComparison.Ordinal) ? SdesError.UnsupportedKeyMethod : SdesError.Malformed;
        }

        // key-info = key-salt ["|" lifetime] ["|" mki ":" mki-length]
        var fields = keyParams[InlinePrefix.Length..].Split('|');
        if (fields.Length > 3)
        {
            return SdesError.Malformed;
        }

        for (var i = 1; i < fields.Length; i++)
        {
            if (fields[i].Contains(':', StringComparison.Ordinal))
            {
                return SdesError.MkiNotSupported;
            }

            if (i == 2)
            {
                return SdesError.Malformed; // two lifetimes
            }

            var error = ReadLifetime(fields[i], out var packets);
            if (error != SdesError.None)
            {
                return error;
            }

            lifetime = packets;
        }

        var base64 = fields[0];
        if (base64.Length % 4 != 0)
        {
            base64 = base64.PadRight(base64.Length + (4 - (base64.Length % 4)), '=');
        }

        var decoded = new byte[(base64.Length / 4) * 3];
        if (base64.Length == 0 || !Convert.TryFromBase64String(base64, decoded, out var written))
        {
            return SdesError.BadBase64;
        }

        if (written != profile.SdesKeySaltLength)
        {
            return SdesError.WrongKeyLength;
        }

        keySalt = decoded[..written];
        return SdesError.None;
    }

    private static SdesError ReadLifetime(string text, out long packets)
    {
        packets = 0;
        BigInteger value;
        if (text.StartsWith("2^", StringComparison.Ordinal))
        {
            var exponent = text[2..];
            if (exponent.Length is < 1 or > 3 || !exponent.All(char.IsAsciiDigit))
            {
                return SdesError.BadLifetime;
            }

            value = BigInteger.Pow(2, int.Parse(exponent, NumberStyles.None, CultureInfo.InvariantCulture));
        }
        else if (text.Length is >= 1 and <= 20 && text.All(char.IsAsciiDigit))
        {
            value = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        }
        else
        {
            return SdesError.BadLifetime;
        }

        if (value > (BigInteger.One << 48))
        {
            return SdesError.BadLifetime; // above the 2^48 SRTP maximum of every suite here
        }

        if (value < MinimumLifetimePackets)
        {
            return SdesError.LifetimeTooShort;
        }

        packets = (long)value;
        return SdesError.None;
    }

    // RFC 4568 §6.3: KDR, UNENCRYPTED_SRTCP, UNENCRYPTED_SRTP, UNAUTHENTICATED_SRTP, FEC_ORDER, FEC_KEY, WSH, and
    // "-"-prefixed extensions that may be ignored. We keep the defaults: kdr 0, everything encrypted and
    // authenticated, no FEC key. WSH is a hint (our window is 128) and FEC_ORDER has no effect without FEC.
    private static bool IsSupportedSessionParameter(string parameter)
    {
        if (parameter.StartsWith('-'))
        {
            return true;
        }

        if (parameter.StartsWith("WSH=", StringComparison.Ordinal))
        {
            var digits = parameter.AsSpan(4);
            return digits.Length is >= 1 and <= 9 && !digits.ContainsAnyExceptInRange('0', '9');
        }

        return parameter is "FEC_ORDER=FEC_SRTP" or "FEC_ORDER=SRTP_FEC";
    }
}
