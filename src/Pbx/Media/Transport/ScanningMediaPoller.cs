namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// Readiness by asking every channel (<see cref="IPendingDatagrams"/>): the in-memory network's poller, and the UDP
/// fallback where epoll is unavailable (<c>FIONREAD</c> per socket). Each poll starts where the last one stopped, so a
/// full <c>ready</c> span never starves the channels at the end. Loop thread only; no allocation per poll.
/// </summary>
internal sealed class ScanningMediaPoller : IMediaPoller
{
    private (IPendingDatagrams Channel, int Token)[] _entries = new (IPendingDatagrams, int)[16];
    private int _count;
    private int _start;

    public void Add(IRtpChannel channel, int token)
    {
        var pending = channel as IPendingDatagrams ??
            throw new ArgumentException("This channel cannot be scanned for datagrams", nameof(channel));
        if (_count == _entries.Length)
        {
            Array.Resize(ref _entries, _entries.Length * 2);
        }

        _entries[_count++] = (pending, token);
    }

    public void Remove(IRtpChannel channel, int token)
    {
        for (var i = 0; i < _count; i++)
        {
            if (ReferenceEquals(_entries[i].Channel, channel))
            {
                _entries[i] = _entries[--_count];
                _entries[_count] = default;
                return;
            }
        }
    }

    public int Poll(Span<MediaReadiness> ready)
    {
        var n = 0;
        var count = _count;
        var k = 0;
        for (; k < count && n + 2 <= ready.Length; k++)
        {
            var i = (_start + k) % count;
            var (channel, token) = _entries[i];
            if (channel.HasPending(MediaSocket.Rtp))
            {
                ready[n++] = new MediaReadiness(token, MediaSocket.Rtp);
            }

            if (channel.HasPending(MediaSocket.Rtcp))
            {
                ready[n++] = new MediaReadiness(token, MediaSocket.Rtcp);
            }
        }

        _start = count == 0 ? 0 : (_start + k) % count;
        return n;
    }

    public void Dispose()
    {
        _count = 0;
    }
}
