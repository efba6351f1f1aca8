namespace Telephony.Pbx.Sdp;

/// <summary>A t= line (RFC 8866 §5.9) with its r= repeat lines (§5.10) kept as text.</summary>
public sealed record SdpTiming(ulong StartTime, ulong StopTime)
{
    /// <summary>The r= values following this t= line, verbatim.</summary>
    public List<string> Repeats { get; init; } = [];

    /// <summary>Value equality including the repeat lines.</summary>
    public bool Equals(SdpTiming? other) =>
        other is not null && StartTime == other.StartTime && StopTime == other.StopTime && Repeats.SequenceEqual(other.Repeats);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(StartTime, StopTime, Repeats.Count);

    /// <summary>Appends the text after "t=" (the same as <see cref="ToString"/>, without the string).</summary>
    internal void AppendTo(System.Text.StringBuilder sb) => sb.Append(StartTime).Append(' ').Append(StopTime);

    /// <summary>The text after "t=".</summary>
    public override string ToString() => $"{StartTime} {StopTime}";
}
