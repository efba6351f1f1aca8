namespace Telephony.Pbx.Media.Dtmf;

/// <summary>
/// DTMF digits: RFC 4733 §3.2 event codes (0-9 → 0-9, * → 10, # → 11, A-D → 12-15) and the ITU-T Q.23 row/column
/// frequencies.
/// </summary>
public static class DtmfDigits
{
    private const string Digits = "0123456789*#ABCD";

    /// <summary>Row (low group) frequencies in Hz.</summary>
    public static ReadOnlySpan<double> RowFrequenciesHz => [697, 770, 852, 941];

    /// <summary>Column (high group) frequencies in Hz.</summary>
    public static ReadOnlySpan<double> ColumnFrequenciesHz => [1209, 1336, 1477, 1633];

    // Keypad layout: [row, column] -> digit.
    private static ReadOnlySpan<char> Keypad => ['1', '2', '3', 'A', '4', '5', '6', 'B', '7', '8', '9', 'C', '*', '0', '#', 'D'];

    /// <summary>Whether <paramref name="digit"/> is one of 0-9 * # A-D (letters case-insensitive).</summary>
    public static bool IsValid(char digit) => TryGetEvent(digit, out _);

    public static bool TryGetEvent(char digit, out byte eventCode)
    {
        var index = Digits.IndexOf(char.ToUpperInvariant(digit));
        eventCode = (byte)Math.Max(index, 0);
        return index >= 0;
    }

    /// <summary>The digit for an RFC 4733 event code, or '\0' for codes above 15 (flash and non-DTMF events).</summary>
    public static char FromEvent(byte eventCode) => eventCode < 16 ? Digits[eventCode] : '\0';

    public static char FromRowColumn(int row, int column) => Keypad[(row * 4) + column];

    public static bool TryGetFrequencies(char digit, out double rowHz, out double columnHz)
    {
        var index = Keypad.IndexOf(char.ToUpperInvariant(digit));
        if (index < 0)
        {
            rowHz = columnHz = 0;
            return false;
        }

        rowHz = RowFrequenciesHz[index / 4];
        columnHz = ColumnFrequenciesHz[index % 4];
        return true;
    }
}
