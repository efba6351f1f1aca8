namespace Telephony.Recording.Statistics.Staffing;

/// <summary>
/// The Erlang C (M/M/N) queue formulas of docs/metrics.md, "Staffing". Erlang B comes from the recurrence
/// <c>B(0) = 1, B(n) = A·B(n−1) / (n + A·B(n−1))</c>, which never forms a power or a factorial and stays accurate for
/// thousands of Erlangs (each step damps rounding errors); Erlang C from it: <c>C = N·B / (N − A·(1 − B))</c>.
/// Arguments out of their domain throw (they are programmer errors; <see cref="StaffingCalculator"/> validates user
/// input with reasons).
/// </summary>
public static class ErlangC
{
    /// <summary>Erlang B: the probability that all <paramref name="agents"/> are busy in a loss system offered
    /// <paramref name="trafficErlangs"/>. O(agents).</summary>
    public static double BlockingProbability(double trafficErlangs, int agents)
    {
        CheckTraffic(trafficErlangs);
        ArgumentOutOfRangeException.ThrowIfNegative(agents);
        double b = 1;
        for (var n = 1; n <= agents; n++)
        {
            b = Step(b, trafficErlangs, n);
        }

        return b;
    }

    /// <summary>Erlang C: the probability that a call waits (all agents busy on arrival); 1 when
    /// <paramref name="agents"/> ≤ <paramref name="trafficErlangs"/> (the queue grows without bound).</summary>
    public static double ProbabilityOfWaiting(double trafficErlangs, int agents) =>
        FromErlangB(BlockingProbability(trafficErlangs, agents), trafficErlangs, agents);

    /// <summary>Share of calls answered within <paramref name="thresholdSeconds"/>:
    /// <c>1 − C·e^(−(N−A)·t/AHT)</c>; 0 when <paramref name="agents"/> ≤ <paramref name="trafficErlangs"/>.</summary>
    public static double ServiceLevel(double trafficErlangs, int agents, double thresholdSeconds, double ahtSeconds)
    {
        CheckTimes(thresholdSeconds, ahtSeconds);
        return ServiceLevel(ProbabilityOfWaiting(trafficErlangs, agents), trafficErlangs, agents, thresholdSeconds, ahtSeconds);
    }

    /// <summary>Average speed of answer (mean wait of all calls): <c>C·AHT/(N−A)</c>; null when
    /// <paramref name="agents"/> ≤ <paramref name="trafficErlangs"/> (unbounded).</summary>
    public static double? AverageSpeedOfAnswerSeconds(double trafficErlangs, int agents, double ahtSeconds)
    {
        CheckTimes(0, ahtSeconds);
        return AverageSpeedOfAnswer(ProbabilityOfWaiting(trafficErlangs, agents), trafficErlangs, agents, ahtSeconds);
    }

    /// <summary>One step of the Erlang B recurrence: B(n) from B(n−1).</summary>
    internal static double Step(double previous, double trafficErlangs, int n)
    {
        double x = trafficErlangs * previous;
        return x / (n + x);
    }

    internal static double FromErlangB(double erlangB, double trafficErlangs, int agents)
    {
        if (trafficErlangs == 0)
        {
            return 0;
        }

        return agents <= trafficErlangs ? 1 : agents * erlangB / (agents - (trafficErlangs * (1 - erlangB)));
    }

    internal static double ServiceLevel(double erlangC, double trafficErlangs, int agents, double thresholdSeconds, double ahtSeconds)
    {
        if (trafficErlangs == 0)
        {
            return 1;
        }

        return agents <= trafficErlangs ? 0 : 1 - (erlangC * Math.Exp(-(agents - trafficErlangs) * thresholdSeconds / ahtSeconds));
    }

    internal static double? AverageSpeedOfAnswer(double erlangC, double trafficErlangs, int agents, double ahtSeconds)
    {
        if (trafficErlangs == 0)
        {
            return 0;
        }

        return agents <= trafficErlangs ? null : erlangC * ahtSeconds / (agents - trafficErlangs);
    }

    private static void CheckTraffic(double trafficErlangs)
    {
        if (!double.IsFinite(trafficErlangs) || trafficErlangs < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(trafficErlangs), trafficErlangs, "traffic must be a finite number of Erlangs ≥ 0");
        }
    }

    private static void CheckTimes(double thresholdSeconds, double ahtSeconds)
    {
        if (!double.IsFinite(thresholdSeconds) || thresholdSeconds < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdSeconds), thresholdSeconds, "the threshold must be a finite number of seconds ≥ 0");
        }

        if (!double.IsFinite(ahtSeconds) || ahtSeconds <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ahtSeconds), ahtSeconds, "the AHT must be a finite number of seconds > 0");
        }
    }
}
