using System.Globalization;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>The last row of SIPp's <c>-trace_stat</c> CSV (cumulative counters).</summary>
public sealed record SippStats(IReadOnlyDictionary<string, string> Columns)
{
    /// <summary><c>SuccessfulCall(C)</c>.</summary>
    public int SuccessfulCalls => Int("SuccessfulCall(C)");

    /// <summary><c>FailedCall(C)</c>.</summary>
    public int FailedCalls => Int("FailedCall(C)");

    /// <summary><c>Retransmissions(C)</c>.</summary>
    public int Retransmissions => Int("Retransmissions(C)");

    /// <summary><c>FailedUnexpectedMessage(C)</c>.</summary>
    public int FailedUnexpectedMessage => Int("FailedUnexpectedMessage(C)");

    /// <summary><c>CurrentCall</c>.</summary>
    public int CurrentCalls => Int("CurrentCall");

    /// <summary>Parses the CSV text (<c>;</c>-separated, header row); null when there is no data row.</summary>
    public static SippStats? Parse(string csv)
    {
        string[] rows = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (rows.Length < 2)
        {
            return null;
        }

        string[] header = rows[0].Split(';');
        string[] last = rows[^1].Split(';');
        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < header.Length && i < last.Length; i++)
        {
            if (header[i].Length > 0)
            {
                columns[header[i]] = last[i];
            }
        }

        return new SippStats(columns);
    }

    /// <summary>A column as an integer (0 when missing or not a number).</summary>
    public int Int(string column) =>
        Columns.TryGetValue(column, out string? v) && int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
            ? n
            : 0;

    /// <inheritdoc />
    public override string ToString() =>
        $"successful={SuccessfulCalls} failed={FailedCalls} retransmissions={Retransmissions} unexpected={FailedUnexpectedMessage}";
}
