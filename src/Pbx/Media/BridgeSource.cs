namespace Telephony.Pbx.Media;

/// <summary>
/// Sends what <c>peer</c> received this tick: decoded PCM re-encoded in this session's codec, so PCMU↔PCMA transcoding
/// comes for free and SSRC, sequence numbers and timestamps are this session's own. RFC 4733 digits received on the
/// peer are re-sent as RFC 4733 when this session negotiated telephone-event, else played in-band. Both sessions must
/// live on the same media loop (create the second with <c>sameLoopAs</c>); otherwise silence is sent.
/// </summary>
public sealed class BridgeSource : MediaSource
{
    public BridgeSource(RtpSession peer)
    {
        ArgumentNullException.ThrowIfNull(peer);
        Peer = peer;
    }

    public RtpSession Peer { get; }

    internal override void Render(RtpSession session, Span<short> output)
    {
        var peer = Peer;
        if (peer.IsClosed || !ReferenceEquals(peer.Loop, session.Loop))
        {
            output.Clear();
            return;
        }

        peer.InputFrame.CopyTo(output);
        if (peer.TelephoneEventDigitThisTick != '\0')
        {
            session.QueueDigitFromLoop(peer.TelephoneEventDigitThisTick);
        }
    }
}
