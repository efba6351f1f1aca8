namespace Telephony.Ivr.Model;

/// <summary><c>type: hangup</c>: ends the call, after an optional goodbye prompt.</summary>
public sealed record HangupNode : IvrNode
{
    public PromptRef? Prompt { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Hangup;

    public override IEnumerable<(string, SourceLocation)> PromptReferences =>
        Prompt is null ? [] : [(Prompt.Id, Prompt.Location)];

    public override IReadOnlyCollection<string> AllowedEvents { get; } = [];
}
