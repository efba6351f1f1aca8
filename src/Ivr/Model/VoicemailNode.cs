namespace Telephony.Ivr.Model;

/// <summary>
/// <c>type: voicemail</c>: plays <see cref="Prompts"/> (a key skips it) and a beep, records the caller into
/// <see cref="Mailbox"/> until the <see cref="FinishKey"/>, <see cref="Silence"/> or <see cref="MaxLength"/>, then (with
/// <see cref="Review"/>) offers 1 to keep or 2 to record again, and confirms with <see cref="SavedPrompts"/>. Raises
/// <c>done</c> (message kept), <c>empty</c> (nothing was said; falls back to <c>done</c>) or <c>error</c>; without a
/// <c>done</c> path the node hangs up after the confirmation. A caller who hangs up at any point keeps what was said.
/// </summary>
public sealed record VoicemailNode : IvrNode
{
    /// <summary>Default beep prompt (sounds/&lt;language&gt;/voicemail/beep.wav).</summary>
    public const string DefaultBeep = "voicemail/beep";

    /// <summary>The mailbox: a queue name or an extension number.</summary>
    public required string Mailbox { get; init; }
    public required IReadOnlyList<PromptRef> Prompts { get; init; }

    /// <summary>Played right before recording starts; null = no beep.</summary>
    public PromptRef? Beep { get; init; }
    public TimeSpan MaxLength { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Recording stops after this much silence; null = only the key or the maximum length stop it.</summary>
    public TimeSpan? Silence { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The key that ends the message; null = none.</summary>
    public char? FinishKey { get; init; } = '#';

    /// <summary>Offer "1 keep, 2 record again" after recording.</summary>
    public bool Review { get; init; } = true;
    public IReadOnlyList<PromptRef> ReviewPrompts { get; init; } = [];

    /// <summary>No key within this in the review keeps the message.</summary>
    public TimeSpan ReviewTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public IReadOnlyList<PromptRef> SavedPrompts { get; init; } = [];
    public IReadOnlyList<PromptRef> EmptyPrompts { get; init; } = [];

    /// <summary>Recordings per visit (the first and the re-recordings); the last one is kept.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The review's keys.</summary>
    public const char KeepKey = '1', RecordAgainKey = '2';

    public override IvrNodeKind Kind => IvrNodeKind.Voicemail;
    public override bool TakesInput => true;

    public override IEnumerable<(string, SourceLocation)> PromptReferences =>
        Prompts.Concat(Beep is null ? [] : [Beep]).Concat(ReviewPrompts).Concat(SavedPrompts).Concat(EmptyPrompts)
            .Select(p => (p.Id, p.Location));

    public override IReadOnlyCollection<string> AllowedEvents { get; } = [IvrEvents.Done, IvrEvents.Empty, IvrEvents.Error];
}
