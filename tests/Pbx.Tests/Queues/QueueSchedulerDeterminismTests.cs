using FsCheck;
using FsCheck.Fluent;
using Telephony.Pbx.Queues.Actions;
using Telephony.Pbx.Queues.Commands;

namespace Telephony.Pbx.Tests.Queues;

/// <summary>The scheduler is a pure function of its commands and clock: the same script gives the same actions,
/// and stepping the clock in one jump gives exactly what stepping it second by second gives.</summary>
public sealed class QueueSchedulerDeterminismTests
{
    private static readonly string[] Agents = ["1001", "1002", "1003", "1004"];
    private static readonly string[] Queues = ["sales", "support", "billing", "operator"];

    /// <summary>A command kind, two selectors, and the seconds to wait before it.</summary>
    public sealed record Step(int Kind, int A, int B, int DelaySeconds);

    private static readonly Arbitrary<Step[]> Scripts =
        Gen.Choose(0, 7).Zip(Gen.Choose(0, 1000)).Zip(Gen.Choose(0, 1000)).Zip(Gen.Choose(0, 40))
            .Select(t => new Step(t.Item1.Item1.Item1, t.Item1.Item1.Item2, t.Item1.Item2, t.Item2))
            .ArrayOf()
            .ToArbitrary();

    [FsCheck.Xunit.Property(MaxTest = 150)]
    public Property Same_script_gives_the_same_actions() =>
        Prop.ForAll(Scripts, script => Run(script, tickEverySecond: false).SequenceEqual(Run(script, tickEverySecond: false)));

    [FsCheck.Xunit.Property(MaxTest = 100)]
    public Property One_clock_jump_equals_many_one_second_ticks() =>
        Prop.ForAll(Scripts, script =>
        {
            var jump = Run(script, tickEverySecond: false);
            var ticks = Run(script, tickEverySecond: true);
            return jump.SequenceEqual(ticks).Label($"jump:\n{string.Join('\n', jump)}\nticks:\n{string.Join('\n', ticks)}");
        });

    private static List<string> Run(Step[] script, bool tickEverySecond)
    {
        var h = new QueueHarness(QueueSchedulerPropertyTests.Config(false));
        var log = new List<string>();
        var n = 0;
        foreach (var step in script)
        {
            if (tickEverySecond)
            {
                for (var s = 0; s < step.DelaySeconds; s++)
                {
                    log.AddRange(Describe(h.Advance(1)));
                }
            }
            else
            {
                // One jump, then one tick so the script picks offer ids from the same history in both modes.
                log.AddRange(Describe(h.Advance(step.DelaySeconds)));
            }
            var offers = h.All.OfType<RingAgent>().Select(r => r.OfferId).ToList();
            QueueCommand command = step.Kind switch
            {
                0 or 1 => new CallArrived($"i{++n}", Queues[step.A % Queues.Length], step.B % 4),
                2 => new CallerHungUp($"i{Math.Max(1, n - step.A % 4)}"),
                3 => new AgentLoggedIn(Agents[step.A % Agents.Length]),
                4 => new AgentPaused(Agents[step.A % Agents.Length], "p"),
                5 => new AgentResumed(Agents[step.A % Agents.Length]),
                6 => new AgentRingResult(offers.Count == 0 ? 1 : offers[^(1 + step.A % Math.Min(3, offers.Count))], (RingOutcome)(step.B % 3)),
                _ => new AgentCallEnded($"i{Math.Max(1, n - step.A % 4)}"),
            };
            log.AddRange(Describe(h.Do(command)));
        }
        return log;
    }

    /// <summary>Action text without collection references (records print those by type only).</summary>
    private static IEnumerable<string> Describe(IEnumerable<QueueAction> actions) =>
        actions.Where(a => a is not CommandIgnored).Select(a => a.ToString());
}
