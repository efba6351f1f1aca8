namespace Telephony.Pbx.Media;

/// <content>The optional media tap (recording): fed once per tick at the end of the send phase.</content>
public sealed partial class RtpSession
{
    private IMediaTap? _tap;

    /// <summary>
    /// Attaches (or with null detaches) a tap that sees every tick's received and sent frame from the next tick on.
    /// Any thread; applied on the loop.
    /// </summary>
    public void SetTap(IMediaTap? tap) => Post(() => _tap = tap);

    private void FeedTap(ReadOnlySpan<short> sent) => _tap?.OnFrame(InputFrame, sent);
}
