using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Loading;

/// <summary>Seeded mutations of the sample file: the loader reports errors, it never throws.</summary>
public sealed class LoaderRobustnessTests
{
    private static readonly string Sample = File.ReadAllText(RepoPaths.SampleConfig);
    private static readonly string[] Fragments =
        ["\n", ":", " ", "- ", "[", "]", "{", "}", "\"", "'", "&a ", "*a", "? ", "!!int ", "#", "\t", "0", "type: menu", "~"];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Mutated_sample_never_throws(int seed)
    {
        var random = new Random(seed);
        for (var round = 0; round < 150; round++)
        {
            var text = Sample;
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                text = random.Next(3) switch
                {
                    0 => text.Remove(at, Math.Min(random.Next(1, 12), text.Length - at)),
                    1 => text.Insert(at, Fragments[random.Next(Fragments.Length)]),
                    _ => text.Remove(at, 1).Insert(at, ((char)random.Next(32, 127)).ToString()),
                };
            }
            var result = YamlFlowLoader.LoadText(text, "mutated.yaml");
            Assert.Equal(result.Succeeded, result.Errors.Count == 0);
            Assert.All(result.Errors, e => Assert.False(string.IsNullOrWhiteSpace(e.Message)));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("flows:\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("flows:\n  ? [a, b]\n  : x\n")]
    [InlineData("flows:\n  t:\n    numbers: [\"1\"]\n    start: a\n    nodes:\n      ? [a]\n      : { type: hangup }\n")]
    [InlineData("flows: &x\n  t: *x\n")]
    [InlineData("flows:\n  t:\n    numbers: [\"1\"]\n    start: a\n    nodes:\n      a: { type: schedule, time_zone: \"Europe/\", hours: {}, open: a, closed: a }\n")]
    [InlineData("flows:\n  t:\n    numbers: [\"1\"]\n    start: a\n    nodes:\n      a: { type: schedule, time_zone: \"../../etc/passwd\", hours: {}, open: a, closed: a }\n")]
    public void Odd_documents_are_errors(string yaml)
    {
        var result = YamlFlowLoader.LoadText(yaml, "odd.yaml");
        Assert.False(result.Succeeded);
        Assert.NotEmpty(result.Errors);
    }
}
