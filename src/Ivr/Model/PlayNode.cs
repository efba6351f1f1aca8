namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: play</c>: plays prompts, then goes to <c>next</c>. With barge_in a digit stops the prompt and is kept for the next
/// menu.
/// </summary>
public sealed record PlayNode : IvrNode
{
    public required IReadOnlyList<PromptRef> Prompts { get; init; }
    public bool BargeIn { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Play;
    public override IEnumerable<(string, SourceLocation)> PromptReferences => Prompts.Select(p => (p.Id, p.Location));
    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Done, IvrEvents.Error];
}
