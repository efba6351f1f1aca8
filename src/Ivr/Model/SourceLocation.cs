namespace Telephony.Ivr.Model;

/// <summary>Where something was written in a flow file: 1-based line and column, as YamlDotNet marks report them.</summary>
public readonly record struct SourceLocation(string File, int Line, int Column)
{
    /// <summary>A location for things that were not read from a file (tests, built-in defaults).</summary>
    public static SourceLocation None => new("", 0, 0);

    public override string ToString() => $"{File}:{Line}:{Column}";
}
