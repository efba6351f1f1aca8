namespace Telephony.Pbx.Media;

/// <summary>Sends back what the session received this tick (decoded and re-encoded): an echo test.</summary>
public sealed class EchoSource : MediaSource
{
    private EchoSource()
    {
    }

    public static EchoSource Instance { get; } = new();

    internal override void Render(RtpSession session, Span<short> output) => session.InputFrame.CopyTo(output);
}
