namespace Telephony.Ivr.Model;

/// <summary><c>type: transfer</c>: connects the caller to an extension, or to an external number through a named trunk.</summary>
public sealed record TransferNode : IvrNode
{
    public required string To { get; init; }
    public string? Trunk { get; init; }
    /// <summary>Where the <c>trunk:</c> value is (for errors about an unknown trunk).</summary>
    public SourceLocation? TrunkLocation { get; init; }
    public override IvrNodeKind Kind => IvrNodeKind.Transfer;
    public override bool Waits => true;
    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Failed, IvrEvents.Error];
}
