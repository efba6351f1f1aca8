namespace Telephony.Pbx.Sdp;

/// <summary>Why <see cref="SdpParser"/> rejected a body: kind, 1-based line number (0 when not line-specific), message.</summary>
public sealed record SdpError(SdpErrorKind Kind, int LineNumber, string Message)
{
    /// <summary>"line N: message" (or just the message).</summary>
    public override string ToString() => LineNumber > 0 ? $"line {LineNumber}: {Message}" : Message;
}
