namespace Telephony.Pbx.Media.Transport;

/// <summary>
/// Tells one media loop which of its channels hold datagrams, so a tick reads only those (epoll for UDP sockets,
/// queue checks in memory). Level-triggered: a socket that still holds data is reported again by the next
/// <see cref="Poll"/>. Used by one loop thread only; allocates nothing per poll.
/// </summary>
public interface IMediaPoller : IDisposable
{
    /// <summary>Starts watching <paramref name="channel"/>; its sockets are reported with <paramref name="token"/>.</summary>
    void Add(IRtpChannel channel, int token);

    /// <summary>Stops watching <paramref name="channel"/> (before it is disposed).</summary>
    void Remove(IRtpChannel channel, int token);

    /// <summary>Non-blocking: writes the readable sockets to <paramref name="ready"/>; returns how many.</summary>
    int Poll(Span<MediaReadiness> ready);
}
