using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Telephony.Recording.Statistics;
using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Host.Statistics;

/// <summary>
/// The query of <c>GET /api/staffing</c>: <c>callsPerInterval</c>, <c>intervalMinutes</c> (30), <c>ahtSeconds</c>,
/// <c>targetServiceLevel</c> (0.8), <c>targetSeconds</c> (20), <c>shrinkage</c> (0), <c>maxOccupancy</c> (1), or
/// <c>queue</c> (with <c>from</c>/<c>to</c>) to take calls and AHT per interval from that queue's statistics.
/// Ranges are checked by <see cref="StaffingCalculator.Validate"/>; here only that each value is a number.
/// </summary>
public sealed record StaffingParameters
{
    public double? CallsPerInterval { get; init; }

    public double IntervalMinutes { get; init; } = 30;

    public double? AhtSeconds { get; init; }

    public double TargetServiceLevel { get; init; } = 0.8;

    public double TargetSeconds { get; init; } = 20;

    public double Shrinkage { get; init; }

    public double MaxOccupancy { get; init; } = 1;

    public string? Queue { get; init; }

    /// <summary>The report interval matching <see cref="IntervalMinutes"/> (15, 30, 60, 1440), for the queue mode.</summary>
    public IntervalLength? Interval => IntervalMinutes switch
    {
        15 => IntervalLength.Minutes15,
        30 => IntervalLength.Minutes30,
        60 => IntervalLength.Minutes60,
        1440 => IntervalLength.Day,
        _ => null,
    };

    /// <summary>Reads the parameters; a value that is not a number, or a missing one the mode needs, is refused.</summary>
    public static bool TryParse(Func<string, string?> get, [NotNullWhen(true)] out StaffingParameters? parameters,
        [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(get);
        parameters = null;
        var p = new StaffingParameters { Queue = string.IsNullOrWhiteSpace(get("queue")) ? null : get("queue")!.Trim() };
        if (!Number(get, "callsPerInterval", null, out double? calls, out error)
            || !Number(get, "intervalMinutes", 30, out double? minutes, out error)
            || !Number(get, "ahtSeconds", null, out double? aht, out error)
            || !Number(get, "targetServiceLevel", 0.8, out double? target, out error)
            || !Number(get, "targetSeconds", 20, out double? seconds, out error)
            || !Number(get, "shrinkage", 0, out double? shrinkage, out error)
            || !Number(get, "maxOccupancy", 1, out double? occupancy, out error))
        {
            return false;
        }

        if (p.Queue is null && calls is null)
        {
            error = "callsPerInterval: required (or queue= to use a queue's measured calls)";
            return false;
        }

        if (p.Queue is null && aht is null)
        {
            error = "ahtSeconds: required (or queue= to use a queue's measured AHT)";
            return false;
        }

        if (!(minutes > 0) || !double.IsFinite(minutes.Value))
        {
            error = "intervalMinutes: must be a finite number of minutes > 0";
            return false;
        }

        parameters = p with
        {
            CallsPerInterval = calls,
            IntervalMinutes = minutes.Value,
            AhtSeconds = aht,
            TargetServiceLevel = target!.Value,
            TargetSeconds = seconds!.Value,
            Shrinkage = shrinkage!.Value,
            MaxOccupancy = occupancy!.Value,
        };
        return true;
    }

    /// <summary>The calculator's input for one interval.</summary>
    public StaffingRequest Request(double calls, double ahtSeconds, double intervalSeconds) => new()
    {
        CallsPerInterval = calls,
        AhtSeconds = ahtSeconds,
        IntervalSeconds = intervalSeconds,
        ServiceLevelTarget = TargetServiceLevel,
        ServiceLevelSeconds = TargetSeconds,
        MaxOccupancy = MaxOccupancy,
        Shrinkage = Shrinkage,
    };

    /// <summary>The inputs as answered (the request's own figures first in each row).</summary>
    public OrderedDictionary<string, object?> Echo()
    {
        var row = new OrderedDictionary<string, object?>();
        if (Queue is null)
        {
            row["callsPerInterval"] = CallsPerInterval;
            row["ahtSeconds"] = AhtSeconds;
        }

        row["intervalMinutes"] = IntervalMinutes;
        row["targetServiceLevel"] = TargetServiceLevel;
        row["targetSeconds"] = TargetSeconds;
        row["shrinkage"] = Shrinkage;
        row["maxOccupancy"] = MaxOccupancy;
        return row;
    }

    private static bool Number(Func<string, string?> get, string name, double? fallback, out double? value,
        [NotNullWhen(false)] out string? error)
    {
        error = null;
        value = fallback;
        string? text = get(name);
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) || !double.IsFinite(parsed))
        {
            error = $"{name}: '{text}' is not a number";
            return false;
        }

        value = parsed;
        return true;
    }
}
