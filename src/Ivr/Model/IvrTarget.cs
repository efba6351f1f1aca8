namespace Telephony.Ivr.Model;

/// <summary>A reference to a node by its id, with the place it was written (for "unknown target" errors).</summary>
public sealed record IvrTarget(string NodeId, SourceLocation Location);
