using System.Diagnostics;
using System.Net;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// The 20 ms clock of a test phone's RTP (RFC 3551 §4.5: 20 ms packets): calls a frame function on an absolute
/// schedule (frame n is due at n × 20 ms from the start, so a late frame does not delay the ones after it) until
/// stopped or the function says the socket is gone.
/// </summary>
internal static class RtpPacer
{
    /// <summary>The packet time.</summary>
    public const int PacketTimeMs = 20;

    /// <summary>Runs <paramref name="sendFrame"/> (frame number → keep going) every 20 ms until <paramref name="stop"/>.</summary>
    public static async Task RunAsync(Func<long, Task<bool>> sendFrame, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        long n = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!await sendFrame(n).ConfigureAwait(false))
            {
                return;
            }

            n++;
            TimeSpan due = TimeSpan.FromMilliseconds(PacketTimeMs * n) - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>
    /// Sends one packet from <paramref name="sink"/>'s socket. A far end that is gone (an ICMP error) is not an error:
    /// the phone keeps pacing. A closed socket means stop.
    /// </summary>
    public static async Task<RtpSendResult> TrySendAsync(RtpSink sink, byte[] packet, IPEndPoint destination)
    {
        try
        {
            await sink.SendAsync(packet, destination).ConfigureAwait(false);
            return RtpSendResult.Sent;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return RtpSendResult.FarEndGone;
        }
        catch (ObjectDisposedException)
        {
            return RtpSendResult.Closed;
        }
    }
}

/// <summary>What became of one test RTP packet (see <see cref="RtpPacer.TrySendAsync"/>).</summary>
internal enum RtpSendResult
{
    /// <summary>Handed to the socket.</summary>
    Sent,

    /// <summary>The far end is gone; keep pacing.</summary>
    FarEndGone,

    /// <summary>The socket is closed; stop.</summary>
    Closed,
}
