using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Recording.Tests.Statistics.Staffing;

/// <summary>Published Erlang B and Erlang C figures.</summary>
public sealed class ErlangCTableTests
{
    private static StaffingRequest TenErlangs => new() { CallsPerInterval = 100, AhtSeconds = 180, IntervalSeconds = 1800 };

    [Fact]
    public void Hundred_calls_in_30_minutes_of_180_s_at_80_20_need_14_agents_for_a_service_level_of_0_888()
    {
        StaffingResult r = StaffingCalculator.Calculate(TenErlangs);
        Assert.Equal(10, r.TrafficErlangs, 12);
        Assert.Equal(14, r.Agents);
        Assert.Equal(14, r.ScheduledAgents);
        Assert.Equal(0.888, r.ServiceLevel, 3);
        Assert.Equal(0.1741, r.ProbabilityOfWaiting, 4);
        Assert.Equal(7.84, r.AsaSeconds!.Value, 2);
        Assert.Equal(10.0 / 14, r.Occupancy!.Value, 12);
        Assert.True(r.MeetsTarget);
    }

    [Theory] // the same call centre with 11 to 15 agents: P(wait), service level 80/20, ASA
    [InlineData(11, 0.6821, 0.3896, 122.78)]
    [InlineData(12, 0.4494, 0.6402, 40.44)]
    [InlineData(13, 0.2853, 0.7956, 17.12)]
    [InlineData(14, 0.1741, 0.8884, 7.84)]
    [InlineData(15, 0.1020, 0.9415, 3.67)]
    public void Ten_Erlangs_table(int agents, double waitProbability, double serviceLevel, double asaSeconds)
    {
        Assert.True(StaffingCalculator.TryEvaluate(TenErlangs, agents, out StaffingResult? r, out _));
        Assert.Equal(waitProbability, r.ProbabilityOfWaiting, 4);
        Assert.Equal(serviceLevel, r.ServiceLevel, 4);
        Assert.Equal(asaSeconds, r.AsaSeconds!.Value, 2);
        Assert.Equal(agents >= 14, r.MeetsTarget);
        Assert.Equal(waitProbability, ErlangC.ProbabilityOfWaiting(10, agents), 4);
        Assert.Equal(serviceLevel, ErlangC.ServiceLevel(10, agents, 20, 180), 4);
    }

    [Fact]
    public void Two_hundred_fifty_calls_an_hour_of_330_s_at_80_30_need_28_advisors()
    {
        // jonesthenet.com "Erlang uplift": 22.9 Erlangs, 28 advisors for 80 % in 30 s.
        StaffingResult r = StaffingCalculator.Calculate(new StaffingRequest
        {
            CallsPerInterval = 250, AhtSeconds = 330, IntervalSeconds = 3600, ServiceLevelTarget = 0.8, ServiceLevelSeconds = 30,
        });
        Assert.Equal(22.92, r.TrafficErlangs, 2);
        Assert.Equal(28, r.Agents);
    }

    [Fact]
    public void Thirty_calls_an_hour_of_5_minutes_need_6_agents_for_90_percent_not_delayed()
    {
        // Wolfram Language ErlangC documentation, "Applications": P(no delay) ≥ 90 % is a service level with t = 0.
        StaffingResult r = StaffingCalculator.Calculate(new StaffingRequest
        {
            CallsPerInterval = 30, AhtSeconds = 300, IntervalSeconds = 3600, ServiceLevelTarget = 0.9, ServiceLevelSeconds = 0,
        });
        Assert.Equal(2.5, r.TrafficErlangs, 12);
        Assert.Equal(6, r.Agents);
        Assert.True(r.ProbabilityOfWaiting <= 0.1);
        Assert.True(ErlangC.ProbabilityOfWaiting(2.5, 5) > 0.1);
    }

    [Fact]
    public void Erlang_B_of_two_servers_matches_R_queueing()
    {
        // R package queueing: B_erlang(2, 0.5/0.7) prints 0.1295337.
        Assert.Equal(0.1295337, ErlangC.BlockingProbability(0.5 / 0.7, 2), 7);
    }

    [Theory] // classic Erlang B tables: traffic (2 decimals) carried by N trunks at a blocking of 1 %, 2 %, 5 %
    [InlineData(1, 0.01, 0.01)]
    [InlineData(5, 0.01, 1.36)]
    [InlineData(10, 0.01, 4.46)]
    [InlineData(10, 0.02, 5.08)]
    [InlineData(10, 0.05, 6.22)]
    [InlineData(20, 0.01, 12.03)]
    [InlineData(100, 0.01, 84.06)]
    public void Erlang_B_table(int trunks, double blocking, double tableErlangs)
    {
        // The table rounds the traffic to 2 decimals, so the blocking target lies between those of the neighbours.
        Assert.InRange(blocking, ErlangC.BlockingProbability(tableErlangs - 0.005, trunks), ErlangC.BlockingProbability(tableErlangs + 0.005, trunks));
    }

    [Fact]
    public void Max_occupancy_can_demand_more_agents_than_the_service_level()
    {
        StaffingResult r = StaffingCalculator.Calculate(TenErlangs with { MaxOccupancy = 0.6 });
        Assert.Equal(17, r.Agents); // 10 / 0.6 = 16.7
        Assert.True(r.Occupancy <= 0.6);
        Assert.Equal(14, StaffingCalculator.Calculate(TenErlangs with { MaxOccupancy = 0.75 }).Agents); // 10/14 = 0.714
        Assert.Equal(15, StaffingCalculator.Calculate(TenErlangs with { MaxOccupancy = 0.7 }).Agents);
        Assert.Equal(20, StaffingCalculator.Calculate(TenErlangs with { MaxOccupancy = 0.5 }).Agents); // exactly 0.5 is allowed
    }

    [Theory]
    [InlineData(0.0, 14)]
    [InlineData(0.3, 20)] // 14 / 0.7 = 20 exactly, not 21
    [InlineData(0.35, 22)] // 21.54
    [InlineData(0.5, 28)]
    public void Shrinkage_rounds_the_head_count_up(double shrinkage, int scheduled)
    {
        StaffingResult r = StaffingCalculator.Calculate(TenErlangs with { Shrinkage = shrinkage });
        Assert.Equal((14, scheduled), (r.Agents, r.ScheduledAgents));
    }

    [Fact]
    public void No_calls_need_no_agents()
    {
        StaffingResult r = StaffingCalculator.Calculate(TenErlangs with { CallsPerInterval = 0 });
        Assert.Equal((0, 0, 0.0, 1.0, 0.0), (r.Agents, r.ScheduledAgents, r.ProbabilityOfWaiting, r.ServiceLevel, r.AsaSeconds!.Value));
        Assert.Null(r.Occupancy);
        Assert.True(r.MeetsTarget);
    }

    [Fact]
    public void Too_few_agents_give_an_unbounded_queue()
    {
        Assert.True(StaffingCalculator.TryEvaluate(TenErlangs, 10, out StaffingResult? r, out _));
        Assert.Equal((1.0, 0.0, (double?)null, 1.0), (r.ProbabilityOfWaiting, r.ServiceLevel, r.AsaSeconds, r.Occupancy!.Value));
        Assert.False(r.MeetsTarget);
        Assert.True(StaffingCalculator.TryEvaluate(TenErlangs, 0, out StaffingResult? none, out _));
        Assert.Null(none.Occupancy);
        Assert.Null(ErlangC.AverageSpeedOfAnswerSeconds(10, 9, 180));
    }
}
