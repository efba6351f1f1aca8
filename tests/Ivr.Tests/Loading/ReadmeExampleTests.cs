using System.Text.RegularExpressions;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Loading;

/// <summary>The node examples in src/Ivr/README.md use only keys and values the loader accepts.</summary>
public sealed partial class ReadmeExampleTests
{
    [Fact]
    public void Every_node_example_in_the_readme_loads()
    {
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "Ivr", "README.md"));
        var start = readme.IndexOf("## Node types", StringComparison.Ordinal);
        var section = readme[start..readme.IndexOf("### `on_end` handlers", StringComparison.Ordinal)];
        var examples = YamlBlock().Matches(section).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(12, examples.Count);
        foreach (var example in examples)
        {
            var indented = string.Join("\n", example.Split('\n').Select(l => "      " + l));
            var yaml = $"lists: {{ vip: [\"1\"] }}\nflows:\n  t:\n    numbers: [\"1\"]\n    start: x\n    nodes:\n{indented}\n";
            var errors = YamlFlowLoader.LoadText(yaml, "readme.yaml").Errors
                .Where(e => !e.Message.Contains("goes to unknown node", StringComparison.Ordinal)
                    && !e.Message.Contains("can never be reached", StringComparison.Ordinal)
                    && !e.Message.Contains("error path", StringComparison.Ordinal))
                .ToList();
            Assert.True(errors.Count == 0, example + "\n" + string.Join("\n", errors));
        }
    }

    [GeneratedRegex("```yaml\\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();
}
