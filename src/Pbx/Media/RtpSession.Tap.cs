namespace Telephony.Pbx.Media;

/// <content>
/// Media taps: the recording tap (<see cref="SetTap"/>, replaced as a supervision comes and goes) and any number of
/// further listeners (<see cref="AddTap"/>: a voicemail recorder), each fed once per tick at the end of the send phase.
/// </content>
public sealed partial class RtpSession
{
    private IMediaTap? _tap;
    private IMediaTap[] _extraTaps = [];

    /// <summary>
    /// Attaches (or with null detaches) a tap that sees every tick's received and sent frame from the next tick on.
    /// Any thread; applied on the loop.
    /// </summary>
    public void SetTap(IMediaTap? tap) => Post(() => _tap = tap);

    /// <summary>
    /// Adds a tap beside the one of <see cref="SetTap"/> (which it leaves alone): it sees every tick's frames from the next
    /// tick until <see cref="RemoveTap"/>. Any thread; applied on the loop (the array is copied there, never per tick).
    /// </summary>
    public void AddTap(IMediaTap tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        Post(() => _extraTaps = [.. _extraTaps, tap]);
    }

    /// <summary>Removes a tap added with <see cref="AddTap"/> (no-op when absent). Any thread; applied on the loop.</summary>
    public void RemoveTap(IMediaTap tap)
    {
        ArgumentNullException.ThrowIfNull(tap);
        Post(() => _extraTaps = [.. _extraTaps.Where(t => t != tap)]);
    }

    private void FeedTap(ReadOnlySpan<short> sent)
    {
        _tap?.OnFrame(InputFrame, sent);
        foreach (var tap in _extraTaps)
        {
            tap.OnFrame(InputFrame, sent);
        }
    }
}
