using Telephony.Ivr.CommandLine;

namespace Telephony.Ivr.Tests.CommandLine;

public sealed class IvrCommandLineTests
{
    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var exit = IvrCommandLine.Run(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Sample_tree_validates_with_its_prompt_files()
    {
        var (exit, output, error) = Run("validate", RepoPaths.SampleConfig, "--sounds", RepoPaths.Sounds);
        Assert.True(exit == 0, error);
        Assert.Contains("flow 'support-line' answers 08001234567", output);
    }

    [Fact]
    public void Every_sample_prompt_is_8khz_mono_16bit_pcm()
    {
        var flow = Telephony.Ivr.Loading.YamlFlowLoader.LoadFile(RepoPaths.SampleConfig).Flows!.Flows[0];
        foreach (var (prompt, _) in flow.Nodes.Values.SelectMany(n => n.PromptReferences))
        {
            var bytes = File.ReadAllBytes(Path.Combine(RepoPaths.Sounds, flow.Language, prompt + ".wav"));
            Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
            Assert.Equal(1, BitConverter.ToInt16(bytes, 20));     // PCM
            Assert.Equal(1, BitConverter.ToInt16(bytes, 22));     // mono
            Assert.Equal(8000, BitConverter.ToInt32(bytes, 24));  // 8 kHz
            Assert.Equal(16, BitConverter.ToInt16(bytes, 34));    // 16-bit
        }
    }

    [Fact]
    public void Validate_reports_located_errors_and_exit_1()
    {
        var bad = Path.Combine(RepoPaths.Vectors, "invalid", "typo-key.yaml");
        var (exit, _, error) = Run("validate", bad);
        Assert.Equal(1, exit);
        Assert.Contains($"{bad}:14:9: unknown key 'promt' in play node 'hello' (did you mean 'prompt'?)", error);
        Assert.Contains("the tree is refused", error);
    }

    [Fact]
    public void Validate_with_sounds_catches_missing_prompt()
    {
        var (exit, _, error) = Run("validate", Path.Combine(RepoPaths.Vectors, "invalid", "missing-prompt.yaml"),
            "--sounds", Path.Combine(RepoPaths.Vectors, "sounds"));
        Assert.Equal(1, exit);
        Assert.Contains("missing prompt file sounds/en/goodbye.wav", error);
    }

    [Theory]
    [InlineData("frobnicate", "x")]
    [InlineData("simulate")]
    [InlineData("validate", "f.yaml", "--sound", "s")]
    public void Usage_errors_exit_2(params string[] args) => Assert.Equal(2, Run(args).Exit);

    [Fact]
    public void Simulate_needs_a_known_number_and_a_valid_clock()
    {
        Assert.Equal(2, Run("simulate", RepoPaths.SampleConfig).Exit);
        Assert.Contains("no flow answers 0800", Run("simulate", RepoPaths.SampleConfig, "--number", "0800").Err);
        Assert.Equal(2, Run("simulate", RepoPaths.SampleConfig, "--number", "08001234567", "--at", "tomorrow").Exit);
        Assert.Equal(2, Run("simulate", RepoPaths.SampleConfig, "--number", "08001234567", "--digits", "12a").Exit);
        Assert.Equal(2, Run("simulate", RepoPaths.SampleConfig, "--number", "08001234567", "--queue", "maybe").Exit);
    }

    [Fact]
    public void Graph_prints_mermaid()
    {
        var (exit, output, _) = Run("graph", RepoPaths.SampleConfig);
        Assert.Equal(0, exit);
        Assert.StartsWith("stateDiagram-v2", output);
    }
}
