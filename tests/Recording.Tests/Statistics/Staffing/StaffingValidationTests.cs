using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Recording.Tests.Statistics.Staffing;

public sealed class StaffingValidationTests
{
    private static readonly StaffingRequest Good = new() { CallsPerInterval = 100, AhtSeconds = 180 };

    public static TheoryData<StaffingRequest, StaffingErrorCode, string> Impossible => new()
    {
        { Good with { CallsPerInterval = -1 }, StaffingErrorCode.InvalidCalls, "callsPerInterval" },
        { Good with { CallsPerInterval = double.NaN }, StaffingErrorCode.InvalidCalls, "callsPerInterval" },
        { Good with { CallsPerInterval = double.PositiveInfinity }, StaffingErrorCode.InvalidCalls, "callsPerInterval" },
        { Good with { AhtSeconds = 0 }, StaffingErrorCode.InvalidAht, "ahtSeconds" },
        { Good with { AhtSeconds = -180 }, StaffingErrorCode.InvalidAht, "ahtSeconds" },
        { Good with { AhtSeconds = double.NaN }, StaffingErrorCode.InvalidAht, "ahtSeconds" },
        { Good with { IntervalSeconds = 0 }, StaffingErrorCode.InvalidInterval, "intervalSeconds" },
        { Good with { IntervalSeconds = -1800 }, StaffingErrorCode.InvalidInterval, "intervalSeconds" },
        { Good with { IntervalSeconds = double.NegativeInfinity }, StaffingErrorCode.InvalidInterval, "intervalSeconds" },
        { Good with { ServiceLevelTarget = 0 }, StaffingErrorCode.InvalidServiceLevelTarget, "serviceLevelTarget" },
        { Good with { ServiceLevelTarget = 1 }, StaffingErrorCode.InvalidServiceLevelTarget, "serviceLevelTarget" },
        { Good with { ServiceLevelTarget = 80 }, StaffingErrorCode.InvalidServiceLevelTarget, "serviceLevelTarget" },
        { Good with { ServiceLevelTarget = double.NaN }, StaffingErrorCode.InvalidServiceLevelTarget, "serviceLevelTarget" },
        { Good with { ServiceLevelSeconds = -1 }, StaffingErrorCode.InvalidServiceLevelSeconds, "serviceLevelSeconds" },
        { Good with { ServiceLevelSeconds = double.PositiveInfinity }, StaffingErrorCode.InvalidServiceLevelSeconds, "serviceLevelSeconds" },
        { Good with { MaxOccupancy = 0 }, StaffingErrorCode.InvalidMaxOccupancy, "maxOccupancy" },
        { Good with { MaxOccupancy = 1.01 }, StaffingErrorCode.InvalidMaxOccupancy, "maxOccupancy" },
        { Good with { MaxOccupancy = double.NaN }, StaffingErrorCode.InvalidMaxOccupancy, "maxOccupancy" },
        { Good with { Shrinkage = -0.1 }, StaffingErrorCode.InvalidShrinkage, "shrinkage" },
        { Good with { Shrinkage = 1 }, StaffingErrorCode.InvalidShrinkage, "shrinkage" },
        { Good with { Shrinkage = double.NaN }, StaffingErrorCode.InvalidShrinkage, "shrinkage" },
        { Good with { CallsPerInterval = 1e6, AhtSeconds = 1e6 }, StaffingErrorCode.TrafficTooLarge, "callsPerInterval" },
        { Good with { CallsPerInterval = 1e300, AhtSeconds = 1e300 }, StaffingErrorCode.TrafficTooLarge, "callsPerInterval" },
        { Good with { CallsPerInterval = 1e6, MaxOccupancy = 0.05 }, StaffingErrorCode.TooManyAgents, "maxOccupancy" },
        { Good with { CallsPerInterval = 1e6, Shrinkage = 0.999 }, StaffingErrorCode.TooManyAgents, "shrinkage" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void Impossible_inputs_are_refused_with_their_reason(StaffingRequest request, StaffingErrorCode code, string field)
    {
        Assert.False(StaffingCalculator.TryCalculate(request, out StaffingResult? result, out StaffingError? error));
        Assert.Null(result);
        Assert.Equal((code, field), (error.Code, error.Field));
        Assert.StartsWith(field + ": ", error.Message, StringComparison.Ordinal);
        ArgumentException thrown = Assert.Throws<ArgumentException>(() => StaffingCalculator.Calculate(request));
        Assert.StartsWith(error.Message, thrown.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(StaffingCalculator.MaxAgents + 1)]
    public void Evaluating_an_impossible_number_of_agents_is_refused(int agents)
    {
        Assert.False(StaffingCalculator.TryEvaluate(Good, agents, out _, out StaffingError? error));
        Assert.Equal(StaffingErrorCode.InvalidAgents, error.Code);
    }

    [Fact]
    public void Boundary_values_are_accepted()
    {
        Assert.Null(StaffingCalculator.Validate(Good with { MaxOccupancy = 1, Shrinkage = 0, ServiceLevelSeconds = 0, CallsPerInterval = 0 }));
        Assert.Null(StaffingCalculator.Validate(Good with { CallsPerInterval = StaffingCalculator.MaxTrafficErlangs * 10 })); // exactly the cap
        Assert.True(StaffingCalculator.TryCalculate(Good with { CallsPerInterval = StaffingCalculator.MaxTrafficErlangs * 10 },
            out StaffingResult? r, out _));
        Assert.InRange(r.Agents, 100_001, 101_000);
    }

    [Fact]
    public void Erlang_functions_refuse_arguments_outside_their_domain()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.BlockingProbability(-1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.BlockingProbability(double.NaN, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.BlockingProbability(1, -3));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ServiceLevel(1, 3, -20, 180));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.ServiceLevel(1, 3, 20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.AverageSpeedOfAnswerSeconds(1, 3, double.PositiveInfinity));
    }
}
