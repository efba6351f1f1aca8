namespace Telephony.Pbx.Queues.Configuration;

/// <summary>One problem in <c>queues.yaml</c>, with its position (1-based line and column; 0 when unknown).</summary>
public sealed record QueuesConfigError(string File, int Line, int Column, string Message)
{
    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}: {Message}";
}
