namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: menu</c>: plays a prompt (barge-in), waits <see cref="Timeout"/> for one digit and follows
/// <c>options</c>. Wrong digits and silence replay the prompt up to <see cref="Retries"/> times, then go to
/// <c>invalid</c> / <c>timeout</c>. The <see cref="OperatorDigit"/> always leads to <c>operator</c>.
/// </summary>
public sealed record MenuNode : IvrNode
{
    public required IReadOnlyList<PromptRef> Prompts { get; init; }
    public IReadOnlyList<PromptRef> InvalidPrompts { get; init; } = [];
    public IReadOnlyList<PromptRef> NoInputPrompts { get; init; } = [];
    public required IReadOnlyList<char> Options { get; init; }
    public char? OperatorDigit { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(5);
    public int Retries { get; init; } = 2;
    public override IvrNodeKind Kind => IvrNodeKind.Menu;
    public override bool TakesInput => true;

    public override IEnumerable<(string, SourceLocation)> PromptReferences =>
        Prompts.Concat(InvalidPrompts).Concat(NoInputPrompts).Select(p => (p.Id, p.Location));

    public override IReadOnlyCollection<string> AllowedEvents =>
        [.. Options.Select(IvrEvents.Digit), IvrEvents.Operator, IvrEvents.Timeout, IvrEvents.Invalid, IvrEvents.Error];
}
