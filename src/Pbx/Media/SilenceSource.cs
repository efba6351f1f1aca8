namespace Telephony.Pbx.Media;

/// <summary>Sends silence (still one packet per 20 ms, keeping NAT bindings and the remote's jitter buffer alive).</summary>
public sealed class SilenceSource : MediaSource
{
    private SilenceSource()
    {
    }

    public static SilenceSource Instance { get; } = new();

    internal override void Render(RtpSession session, Span<short> output) => output.Clear();
}
