namespace Telephony.Ivr.Loading;

/// <summary>One problem in a flow file: where it is (1-based line and column) and what is wrong.</summary>
public sealed record FlowError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}
