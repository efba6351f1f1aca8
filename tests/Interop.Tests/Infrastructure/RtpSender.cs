using System.Buffers.Binary;
using System.Net;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Sends PCMU RTP (RFC 3550, PT 0, 20 ms packets, one SSRC) from an <see cref="RtpSink"/>'s socket, looping
/// <see cref="Audio"/>, until stopped: a live talker for raw-SIP calls (symmetric RTP: the sink receives the answer).
/// </summary>
public sealed class RtpSender : IAsyncDisposable
{
    private readonly RtpSink sink;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly byte[] packet = new byte[12 + 160];
    private readonly uint ssrc = (uint)Random.Shared.Next();
    private ushort seq = 1;
    private uint ts;
    private int offset;
    private int sent;

    /// <summary>Starts sending <paramref name="audio"/> (8 kHz PCM16, looped) to <paramref name="destination"/>.</summary>
    public RtpSender(RtpSink sink, IPEndPoint destination, short[] audio)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(audio.Length, 160);
        this.sink = sink;
        Destination = destination;
        Audio = audio;
        loop = Task.Run(() => RtpPacer.RunAsync(SendFrameAsync, stop.Token));
    }

    /// <summary>Where packets go.</summary>
    public IPEndPoint Destination { get; }

    /// <summary>The looped audio.</summary>
    public short[] Audio { get; }

    /// <summary>Packets sent so far.</summary>
    public int PacketsSent => Volatile.Read(ref sent);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // stopping
        }

        stop.Dispose();
    }

    private async Task<bool> SendFrameAsync(long n)
    {
        packet[0] = 0x80;
        packet[1] = (byte)(n == 0 ? 0x80 : 0x00);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq++);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < 160; i++)
        {
            packet[12 + i] = G711.MuLawEncode(Audio[offset]);
            offset = (offset + 1) % Audio.Length;
        }

        ts += 160;
        RtpSendResult result = await RtpPacer.TrySendAsync(sink, packet, Destination).ConfigureAwait(false);
        if (result == RtpSendResult.Sent)
        {
            Interlocked.Increment(ref sent);
        }

        return result != RtpSendResult.Closed;
    }
}
