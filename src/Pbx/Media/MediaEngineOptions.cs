using System.Net;
using Telephony.Pbx.Media.Transport;

namespace Telephony.Pbx.Media;

/// <summary>Configuration of the <see cref="MediaEngine"/>: RTP port range (RFC 3550 §11: RTP even, RTCP = RTP + 1).</summary>
public sealed class MediaEngineOptions
{
    public IPAddress BindAddress { get; set; } = IPAddress.Any;
    public int PortMin { get; set; } = 20000;
    public int PortMax { get; set; } = 29999;
    public int LoopCount { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Where sessions get their RTP/RTCP channels. Null (default): UDP sockets on <see cref="BindAddress"/> in
    /// <see cref="PortMin"/>..<see cref="PortMax"/>. Tests that run calls in process give an
    /// <see cref="Transport.InMemory.InMemoryMediaNetwork"/>.
    /// </summary>
    public IMediaTransport? Transport { get; set; }

    /// <summary>What drives the loops' ticks (default: one real-time thread per loop).</summary>
    public MediaPacing Pacing { get; set; } = MediaPacing.LoopThreads;

    /// <summary>
    /// Linux nice value for the media loop threads (-20..19; 0 leaves them alone). Negative needs root or
    /// CAP_SYS_NICE and is skipped silently without it. Media must not wait behind batch work to send on time.
    /// </summary>
    public int LoopThreadNice { get; set; } = -10;

    /// <summary>
    /// No RTP received for this long on a sendrecv stream raises <see cref="RtpSession.RtpTimedOut"/> (0 = never). A
    /// peer that holds the call (sendonly, recvonly, inactive) is not timed out.
    /// </summary>
    public TimeSpan RtpTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Interval between RTCP reports per session (RFC 3550 §6.2 suggests 5 s minimum).</summary>
    public TimeSpan RtcpInterval { get; set; } = TimeSpan.FromSeconds(5);
}
