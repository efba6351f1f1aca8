namespace Telephony.Host.Callbacks;

/// <summary>E.164 numbers (ITU-T E.164 §6: country code and national number, at most 15 digits) as web requests give
/// them: <c>+</c>, a first digit 1-9, then 6 to 14 more digits.</summary>
public static class PhoneNumbers
{
    /// <summary>True for <c>+15550000002</c>; false for national forms, spaces, letters, or more than 15 digits.</summary>
    public static bool IsE164(string? number)
    {
        if (number is not { Length: >= 8 and <= 16 } || number[0] != '+' || number[1] is < '1' or > '9')
        {
            return false;
        }
        for (var i = 2; i < number.Length; i++)
        {
            if (!char.IsAsciiDigit(number[i]))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>True for an allowed-prefix entry: <c>+</c> then 1 to 15 digits.</summary>
    public static bool IsPrefix(string? prefix) =>
        prefix is { Length: >= 2 and <= 16 } && prefix[0] == '+' && prefix.AsSpan(1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>True when <paramref name="prefixes"/> is empty or <paramref name="number"/> starts with one of them.</summary>
    public static bool IsAllowed(string number, IReadOnlyList<string> prefixes)
    {
        ArgumentNullException.ThrowIfNull(number);
        ArgumentNullException.ThrowIfNull(prefixes);
        return prefixes.Count == 0 || prefixes.Any(p => number.StartsWith(p, StringComparison.Ordinal));
    }
}
