using Telephony.Ivr.CommandLine;

namespace Telephony.Ivr.Tests.CommandLine;

/// <summary>
/// Golden transcripts of <c>simulate</c> over every path of the sample tree. Each file in
/// tests/Vectors/ivr/golden/ starts with "# args: ..." (the simulate arguments after the file); the rest is the
/// expected output. Set IVR_UPDATE_GOLDEN=1 to rewrite them from the current engine.
/// </summary>
public sealed class SimulateGoldenTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "golden"), "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Transcript_matches_golden(string name)
    {
        var path = Path.Combine(RepoPaths.Vectors, "golden", name);
        var lines = File.ReadAllLines(path);
        Assert.StartsWith("# args: ", lines[0]);
        var args = SplitArgs(lines[0]["# args: ".Length..]);
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = IvrCommandLine.Run(["simulate", RepoPaths.SampleConfig, .. args], stdout, stderr);
        Assert.True(exit == 0, stderr.ToString());
        var actual = lines[0] + "\n" + stdout;
        if (Environment.GetEnvironmentVariable("IVR_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(Path.Combine(RepoPaths.SourceVectors, "golden", name), actual);
            return;
        }
        Assert.Equal(string.Join("\n", lines) + "\n", actual);
    }

    [Fact]
    public void Every_node_of_the_sample_tree_is_covered_by_a_golden_transcript()
    {
        var flow = Telephony.Ivr.Loading.YamlFlowLoader.LoadFile(RepoPaths.SampleConfig).Flows!.Flows[0];
        var transcripts = string.Join("\n", Directory.GetFiles(Path.Combine(RepoPaths.Vectors, "golden"), "*.txt").Select(File.ReadAllText));
        var missing = flow.Nodes.Keys.Where(id => !transcripts.Contains("-> " + id + "\n", StringComparison.Ordinal)).ToList();
        Assert.Empty(missing);
    }

    private static List<string> SplitArgs(string text)
    {
        var args = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        var any = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (any)
                {
                    args.Add(current.ToString());
                }
                current.Clear();
                any = false;
            }
            else
            {
                current.Append(c);
                any = true;
            }
        }
        if (any)
        {
            args.Add(current.ToString());
        }
        return args;
    }
}
