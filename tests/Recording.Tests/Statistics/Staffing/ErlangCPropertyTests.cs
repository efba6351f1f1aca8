using FsCheck;
using FsCheck.Fluent;
using Telephony.Recording.Statistics.Staffing;

namespace Telephony.Recording.Tests.Statistics.Staffing;

/// <summary>Monotonicity: one more agent never lowers the service level nor raises P(wait), the ASA or the occupancy;
/// the calculator's answer is the first N that meets the target.</summary>
public sealed class ErlangCPropertyTests
{
    // Traffic 0.01 to 3000 Erlangs (hundredths), AHT 10 to 900 s, threshold 0 to 120 s, target 0.05 to 0.99.
    private static readonly Arbitrary<(int TrafficHundredths, int Aht, int Threshold, int TargetPercent)> Inputs =
        Gen.Choose(1, 300_000).Zip(Gen.Choose(10, 900)).Zip(Gen.Choose(0, 120)).Zip(Gen.Choose(5, 99))
            .Select(t => (t.Item1.Item1.Item1, t.Item1.Item1.Item2, t.Item1.Item2, t.Item2))
            .ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property More_agents_never_serve_worse() =>
        Prop.ForAll(Inputs, input =>
        {
            double a = input.TrafficHundredths / 100.0;
            int first = (int)Math.Floor(a) + 1;
            double previousSl = -1, previousC = 2, previousAsa = double.MaxValue;
            for (int n = first; n <= first + 30; n++)
            {
                double sl = ErlangC.ServiceLevel(a, n, input.Threshold, input.Aht);
                double c = ErlangC.ProbabilityOfWaiting(a, n);
                double asa = ErlangC.AverageSpeedOfAnswerSeconds(a, n, input.Aht)!.Value;
                Assert.InRange(sl, 0, 1);
                Assert.InRange(c, 0, 1);
                Assert.True(sl >= previousSl - 1e-15, $"SL fell at N={n}");
                Assert.True(c <= previousC + 1e-15, $"C rose at N={n}");
                Assert.True(asa <= previousAsa * (1 + 1e-15), $"ASA rose at N={n}");
                (previousSl, previousC, previousAsa) = (sl, c, asa);
            }
        });

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property The_answer_is_the_smallest_N_meeting_the_target() =>
        Prop.ForAll(Inputs, input =>
        {
            var request = new StaffingRequest
            {
                CallsPerInterval = input.TrafficHundredths / 100.0 * 1800 / input.Aht,
                AhtSeconds = input.Aht,
                ServiceLevelSeconds = input.Threshold,
                ServiceLevelTarget = input.TargetPercent / 100.0,
            };
            StaffingResult r = StaffingCalculator.Calculate(request);
            Assert.True(r.MeetsTarget);
            Assert.True(r.Agents > r.TrafficErlangs);
            Assert.True(r.ServiceLevel >= request.ServiceLevelTarget - 1e-12);
            Assert.True(StaffingCalculator.TryEvaluate(request, r.Agents - 1, out StaffingResult? fewer, out _));
            Assert.False(fewer.MeetsTarget);
            Assert.True(fewer.ServiceLevel <= r.ServiceLevel);
        });
}
