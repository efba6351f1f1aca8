using Telephony.Host.Cli;
using Telephony.Ivr.CommandLine;

namespace Telephony.Host.Tests.Cli;

/// <summary><c>ivr validate|simulate|graph</c> through the Host's command line keep IvrCommandLine's output and exit codes.</summary>
public sealed class IvrCommandsTests
{
    private static readonly string SampleIvr = Path.Combine(SampleConfigCopy.SampleConfig, "ivr.yaml");

    private static (int Code, string Out, string Error) Direct(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var code = IvrCommandLine.Run(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [InlineData("validate")]
    [InlineData("simulate", "--number", "08001234567", "--digits", "2", "--at", "2026-11-24T10:00:00+01:00", "--caller", "+15550000001")]
    [InlineData("simulate", "--number", "08001234567", "--at", "2026-11-28T23:00:00+01:00")]
    [InlineData("simulate", "--number", "0000")]
    [InlineData("simulate", "--number", "08001234567", "--queue", "sideways")]
    [InlineData("graph")]
    [InlineData("graph", "--flow", "support-line")]
    public void SameOutputAndExitCode_AsTheIvrTool(string verb, params string[] options)
    {
        var direct = Direct([verb, SampleIvr, .. options]);
        var run = CliRun.Of(["ivr", verb, SampleIvr, .. options]);

        Assert.Equal(direct.Code, run.ExitCode);
        Assert.Equal(direct.Out, run.Out);
        Assert.Equal(direct.Error, run.Error);
    }

    [Fact]
    public void Validate_SampleTree_Exit0()
    {
        var run = CliRun.Of("ivr", "validate", SampleIvr);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Contains("flow 'support-line' answers 08001234567", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BrokenTree_Exit1_WithFileAndLine()
    {
        using var copy = new SampleConfigCopy();
        var line = copy.Replace("ivr.yaml", "next: office-hours", "next: office-hourz");

        var run = CliRun.Of("ivr", "validate", copy.PathOf("ivr.yaml"));

        Assert.Equal(ExitCodes.Invalid, run.ExitCode);
        Assert.Contains($"{copy.PathOf("ivr.yaml")}:{line}:", run.Error, StringComparison.Ordinal);
        Assert.Contains("office-hourz", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_Dot_IsAGraphvizDigraph()
    {
        var run = CliRun.Of("ivr", "graph", SampleIvr, "--format", "dot");

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.StartsWith("digraph {", run.Out, StringComparison.Ordinal);
        Assert.Contains("greeting", run.Out, StringComparison.Ordinal);
        Assert.EndsWith("}", run.Out.TrimEnd(), StringComparison.Ordinal);
    }

    [Fact]
    public void Graph_DefaultIsMermaid()
    {
        var run = CliRun.Of("ivr", "graph", SampleIvr);

        Assert.Equal(ExitCodes.Ok, run.ExitCode);
        Assert.Equal(Telephony.Ivr.Engine.IvrFlowGraph.ToMermaid(
            Telephony.Ivr.Loading.YamlFlowLoader.LoadFile(SampleIvr).Flows!.Flows[0]), run.Out);
    }
}
