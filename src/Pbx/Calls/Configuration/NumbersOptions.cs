namespace Telephony.Pbx.Calls.Configuration;

/// <summary>Test numbers (section <c>numbers</c>): echo, prompt and bench.</summary>
public sealed class NumbersOptions
{
    public string Echo { get; set; } = "9000";
    public string Prompt { get; set; } = "9001";
    public string PromptFile { get; set; } = "en/prompt-test.wav";
    public string Bench { get; set; } = "9002";
    public string BenchPromptFile { get; set; } = "en/bench-prompt.wav";
}
