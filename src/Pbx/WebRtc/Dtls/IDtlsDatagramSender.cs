namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// How a <see cref="DtlsAssociation"/> sends its records: the media session sends each datagram on its socket to the
/// ICE-nominated address. Called from the handshake thread or a thread-pool thread, never from the media loop: it
/// must be thread-safe and must not block (a UDP <c>SendTo</c> is both).
/// </summary>
public interface IDtlsDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram);
}
