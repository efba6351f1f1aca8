using Telephony.Ivr.CommandLine;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.CommandLine;

/// <summary>Seeded random callers on the sample tree: every call ends, within max_visits, without an exception.</summary>
public sealed class RandomCallerTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_keys_clocks_and_queue_outcomes_always_end(int seed)
    {
        var flow = YamlFlowLoader.LoadFile(RepoPaths.SampleConfig).Flows!.Flows[0];
        var random = new Random(seed);
        const string keys = "0123456789*#";
        for (var round = 0; round < 100; round++)
        {
            var groups = Enumerable.Range(0, random.Next(0, 6))
                .Select(_ => new string([.. Enumerable.Range(0, random.Next(0, 10)).Select(_ => keys[random.Next(keys.Length)])]));
            var simulator = new IvrSimulator
            {
                Flow = flow,
                Called = "08001234567",
                Caller = random.Next(4) == 0 ? "+15550000001" : "+15550000002",
                At = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 365 * 24 * 60)),
                Digits = string.Join(',', groups),
                QueueOutcome = (IvrQueueOutcome)random.Next(3),
                HangupAt = random.Next(5) == 0 ? flow.Nodes.Keys.ElementAt(random.Next(flow.Nodes.Count)) : null,
            };
            var result = simulator.Run(TextWriter.Null);
            Assert.NotEqual(IvrEndReason.Error, result.Reason); // the sample always has an error path left
            foreach (var visits in result.Interaction.Path.GroupBy(id => id))
            {
                Assert.True(visits.Count() <= flow.MaxVisits + 1, $"{visits.Key} visited {visits.Count()} times");
            }
        }
    }
}
