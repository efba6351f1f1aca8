using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Telephony.Recording.Statistics.Staffing;

/// <summary>
/// Erlang C staffing (docs/metrics.md, "Staffing"): the smallest number of agents N &gt; A whose predicted service
/// level reaches the target and whose occupancy A/N stays within the cap, then the head count after shrinkage,
/// <c>ceil(N ÷ (1 − shrinkage))</c>. The search walks the Erlang B recurrence once from 1 to N, so it costs O(N).
/// </summary>
public static class StaffingCalculator
{
    /// <summary>Largest traffic accepted: 100,000 Erlangs (e.g. 2 million calls of 180 s in an hour), far above any
    /// single queue; it bounds the work (O(N)) of one request.</summary>
    public const double MaxTrafficErlangs = 100_000;

    /// <summary>Largest answer (agents on the phones, or scheduled after shrinkage).</summary>
    public const int MaxAgents = 1_000_000;

    // A service level or an occupancy within this of its bound meets it: A is computed from user numbers, and
    // 0.8 or 8/10 should not miss by one unit in the last place.
    private const double Tolerance = 1e-12;

    /// <summary>A = calls × AHT ÷ interval, in Erlangs.</summary>
    public static double TrafficErlangs(double callsPerInterval, double ahtSeconds, double intervalSeconds) =>
        callsPerInterval * ahtSeconds / intervalSeconds;

    /// <summary>The first problem with <paramref name="request"/>, or null when it can be computed.</summary>
    public static StaffingError? Validate(StaffingRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!double.IsFinite(request.CallsPerInterval) || request.CallsPerInterval < 0)
        {
            return Error(StaffingErrorCode.InvalidCalls, "callsPerInterval", "calls per interval must be a finite number ≥ 0", request.CallsPerInterval);
        }

        if (!double.IsFinite(request.AhtSeconds) || request.AhtSeconds <= 0)
        {
            return Error(StaffingErrorCode.InvalidAht, "ahtSeconds", "the average handle time must be a finite number of seconds > 0", request.AhtSeconds);
        }

        if (!double.IsFinite(request.IntervalSeconds) || request.IntervalSeconds <= 0)
        {
            return Error(StaffingErrorCode.InvalidInterval, "intervalSeconds", "the interval must be a finite number of seconds > 0", request.IntervalSeconds);
        }

        if (!double.IsFinite(request.ServiceLevelTarget) || request.ServiceLevelTarget <= 0 || request.ServiceLevelTarget >= 1)
        {
            return Error(StaffingErrorCode.InvalidServiceLevelTarget, "serviceLevelTarget",
                "the service-level target must be a share strictly between 0 and 1 (0.8 for 80 %)", request.ServiceLevelTarget);
        }

        if (!double.IsFinite(request.ServiceLevelSeconds) || request.ServiceLevelSeconds < 0)
        {
            return Error(StaffingErrorCode.InvalidServiceLevelSeconds, "serviceLevelSeconds",
                "the service-level threshold must be a finite number of seconds ≥ 0", request.ServiceLevelSeconds);
        }

        if (!double.IsFinite(request.MaxOccupancy) || request.MaxOccupancy <= 0 || request.MaxOccupancy > 1)
        {
            return Error(StaffingErrorCode.InvalidMaxOccupancy, "maxOccupancy",
                "the occupancy cap must be a share above 0 and at most 1 (0.85 for 85 %)", request.MaxOccupancy);
        }

        if (!double.IsFinite(request.Shrinkage) || request.Shrinkage < 0 || request.Shrinkage >= 1)
        {
            return Error(StaffingErrorCode.InvalidShrinkage, "shrinkage",
                "the shrinkage must be a share of at least 0 and below 1 (0.3 for 30 %)", request.Shrinkage);
        }

        double traffic = TrafficErlangs(request.CallsPerInterval, request.AhtSeconds, request.IntervalSeconds);
        if (!double.IsFinite(traffic) || traffic > MaxTrafficErlangs)
        {
            return Error(StaffingErrorCode.TrafficTooLarge, "callsPerInterval",
                string.Create(CultureInfo.InvariantCulture, $"the traffic (calls × AHT ÷ interval) must be at most {MaxTrafficErlangs} Erlangs"), traffic);
        }

        if (traffic / request.MaxOccupancy > MaxAgents)
        {
            return Error(StaffingErrorCode.TooManyAgents, "maxOccupancy",
                string.Create(CultureInfo.InvariantCulture, $"the traffic ÷ occupancy cap needs more than {MaxAgents} agents"), traffic / request.MaxOccupancy);
        }

        return null;
    }

    /// <summary>The staffing for <paramref name="request"/>, or the reason it cannot be computed. No calls: 0 agents,
    /// service level 1, ASA 0, occupancy null.</summary>
    public static bool TryCalculate(
        StaffingRequest request,
        [NotNullWhen(true)] out StaffingResult? result,
        [NotNullWhen(false)] out StaffingError? error)
    {
        result = null;
        error = Validate(request);
        if (error is not null)
        {
            return false;
        }

        double a = TrafficErlangs(request.CallsPerInterval, request.AhtSeconds, request.IntervalSeconds);
        double b = 1; // Erlang B with n agents
        for (var n = 1; n <= MaxAgents; n++)
        {
            b = ErlangC.Step(b, a, n);
            if (n <= a || a / n > request.MaxOccupancy + Tolerance)
            {
                continue;
            }

            double c = ErlangC.FromErlangB(b, a, n);
            double serviceLevel = ErlangC.ServiceLevel(c, a, n, request.ServiceLevelSeconds, request.AhtSeconds);
            if (serviceLevel >= request.ServiceLevelTarget - Tolerance)
            {
                return Result(request, a, a == 0 ? 0 : n, c, meetsTarget: true, out result, out error); // no calls: no one
            }
        }

        error = Error(StaffingErrorCode.TooManyAgents, "callsPerInterval",
            string.Create(CultureInfo.InvariantCulture, $"the target needs more than {MaxAgents} agents"), a);
        return false;
    }

    /// <summary>The staffing for <paramref name="request"/>; throws <see cref="ArgumentException"/> with the reason
    /// of <see cref="TryCalculate"/>.</summary>
    public static StaffingResult Calculate(StaffingRequest request) =>
        TryCalculate(request, out StaffingResult? result, out StaffingError? error) ? result : throw new ArgumentException(error.Message, nameof(request));

    /// <summary>What <paramref name="agents"/> agents on the phones would give (a row of a "what if" table).
    /// <see cref="StaffingResult.MeetsTarget"/> says whether they meet the request's target and cap.</summary>
    public static bool TryEvaluate(
        StaffingRequest request,
        int agents,
        [NotNullWhen(true)] out StaffingResult? result,
        [NotNullWhen(false)] out StaffingError? error)
    {
        result = null;
        error = Validate(request);
        if (error is not null)
        {
            return false;
        }

        if (agents < 0 || agents > MaxAgents)
        {
            error = Error(StaffingErrorCode.InvalidAgents, "agents",
                string.Create(CultureInfo.InvariantCulture, $"the number of agents must be between 0 and {MaxAgents}"), agents);
            return false;
        }

        double a = TrafficErlangs(request.CallsPerInterval, request.AhtSeconds, request.IntervalSeconds);
        double c = ErlangC.ProbabilityOfWaiting(a, agents);
        bool meets = a == 0 || (agents > a && a / agents <= request.MaxOccupancy + Tolerance
            && ErlangC.ServiceLevel(c, a, agents, request.ServiceLevelSeconds, request.AhtSeconds) >= request.ServiceLevelTarget - Tolerance);
        return Result(request, a, agents, c, meets, out result, out error);
    }

    private static bool Result(StaffingRequest request, double a, int agents, double c, bool meetsTarget,
        [NotNullWhen(true)] out StaffingResult? result, [NotNullWhen(false)] out StaffingError? error)
    {
        result = null;
        error = null;
        // 14 ÷ (1 − 0.3) is 20.000000000000004 in binary floating point: shave the rounding error off before ceil.
        double scheduled = Math.Ceiling((agents / (1 - request.Shrinkage)) - 1e-9);
        if (scheduled > MaxAgents)
        {
            error = Error(StaffingErrorCode.TooManyAgents, "shrinkage",
                string.Create(CultureInfo.InvariantCulture, $"the head count after shrinkage would exceed {MaxAgents}"), scheduled);
            return false;
        }

        result = new StaffingResult
        {
            TrafficErlangs = a,
            Agents = agents,
            ScheduledAgents = (int)scheduled,
            ProbabilityOfWaiting = c,
            ServiceLevel = ErlangC.ServiceLevel(c, a, agents, request.ServiceLevelSeconds, request.AhtSeconds),
            AsaSeconds = ErlangC.AverageSpeedOfAnswer(c, a, agents, request.AhtSeconds),
            Occupancy = agents == 0 ? null : Math.Min(1, a / agents),
            MeetsTarget = meetsTarget,
        };
        return true;
    }

    private static StaffingError Error(StaffingErrorCode code, string field, string reason, double value) =>
        new(code, field, string.Create(CultureInfo.InvariantCulture, $"{field}: {reason} (got {value})"));
}
