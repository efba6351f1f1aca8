namespace Telephony.Ivr.Model;

/// <summary>A prompt id (file name under <c>sounds/&lt;language&gt;/</c> without <c>.wav</c>) and where it was written.</summary>
public sealed record PromptRef(string Id, SourceLocation Location);
