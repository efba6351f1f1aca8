namespace Telephony.Ivr.Model;

/// <summary><c>type: goto</c>: jumps to another node (its <c>done</c> event).</summary>
public sealed record GotoNode : IvrNode
{
    public override IvrNodeKind Kind => IvrNodeKind.Goto;
    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Done];
}
