using System.Text.RegularExpressions;

namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: collect</c>: plays a prompt (barge-in) and gathers digits into <see cref="Variable"/> until the
/// terminator, <see cref="MaxLength"/> digits, or <see cref="DigitTimeout"/> of silence. Input shorter than
/// <see cref="MinLength"/> or not matching <see cref="Pattern"/> is invalid (retried, then <c>invalid</c>).
/// </summary>
public sealed record CollectNode : IvrNode
{
    public required string Variable { get; init; }
    public required IReadOnlyList<PromptRef> Prompts { get; init; }
    public IReadOnlyList<PromptRef> InvalidPrompts { get; init; } = [];
    public IReadOnlyList<PromptRef> NoInputPrompts { get; init; } = [];
    public int MinLength { get; init; } = 1;
    public int MaxLength { get; init; } = 20;
    public char? Terminator { get; init; } = '#';
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan DigitTimeout { get; init; } = TimeSpan.FromSeconds(3);
    public Regex? Pattern { get; init; }
    public int Retries { get; init; } = 2;
    public override IvrNodeKind Kind => IvrNodeKind.Collect;
    public override bool TakesInput => true;

    public override IEnumerable<(string, SourceLocation)> PromptReferences =>
        Prompts.Concat(InvalidPrompts).Concat(NoInputPrompts).Select(p => (p.Id, p.Location));

    public override IReadOnlyCollection<string> AllowedEvents { get; } =
        [IvrEvents.Done, IvrEvents.Timeout, IvrEvents.Invalid, IvrEvents.Error];
}
