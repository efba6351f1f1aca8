using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A UDP receiver that records every RTP packet (RFC 3550) sent to it: counts per payload type, SSRCs,
/// RFC 4733 digits (any payload type in <see cref="EventPayloadTypes"/>), and PCMU/PCMA audio decoded to
/// PCM16 in arrival order. Optionally echoes each packet back to its source (symmetric RTP).
/// Used with SIPp scenarios that advertise <c>[media_port+4]</c> in their SDP.
/// </summary>
public sealed class RtpSink : IAsyncDisposable
{
    private readonly Socket socket;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly Lock gate = new();
    private readonly List<RtpPacketRecord> packets = [];
    private readonly List<short> audio = [];
    private readonly HashSet<(uint Ssrc, uint Timestamp)> endedEvents = [];
    private readonly System.Text.StringBuilder digits = new();
    private int malformed;

    /// <summary>Binds <paramref name="address"/>:<paramref name="port"/> and starts receiving.</summary>
    public RtpSink(IPAddress address, int port, bool echo = false)
    {
        socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveBuffer, 1 << 20);
        socket.Bind(new IPEndPoint(address, port));
        EndPoint = (IPEndPoint)socket.LocalEndPoint!;
        Echo = echo;
        loop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Where the sink listens.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Whether packets are sent back to their source.</summary>
    public bool Echo { get; }

    /// <summary>Payload types decoded as RFC 4733 telephone-events (default 96..127).</summary>
    public IReadOnlySet<int> EventPayloadTypes { get; init; } = Enumerable.Range(96, 32).ToHashSet();

    /// <summary>Packets received so far.</summary>
    public int PacketCount
    {
        get
        {
            lock (gate)
            {
                return packets.Count;
            }
        }
    }

    /// <summary>Datagrams that were not RTP version 2.</summary>
    public int MalformedCount => Volatile.Read(ref malformed);

    /// <summary>RFC 4733 digits decoded (one per event, counted at its first end packet).</summary>
    public string Digits
    {
        get
        {
            lock (gate)
            {
                return digits.ToString();
            }
        }
    }

    /// <summary>A copy of every packet record.</summary>
    public IReadOnlyList<RtpPacketRecord> Packets
    {
        get
        {
            lock (gate)
            {
                return [.. packets];
            }
        }
    }

    /// <summary>Packets per payload type.</summary>
    public IReadOnlyDictionary<int, int> CountByPayloadType
    {
        get
        {
            lock (gate)
            {
                return packets.GroupBy(p => p.PayloadType).ToDictionary(g => g.Key, g => g.Count());
            }
        }
    }

    /// <summary>Distinct SSRCs seen.</summary>
    public IReadOnlyList<uint> Ssrcs
    {
        get
        {
            lock (gate)
            {
                return packets.Select(p => p.Ssrc).Distinct().ToList();
            }
        }
    }

    /// <summary>Decoded PCMU/PCMA audio (8 kHz mono PCM16), in arrival order.</summary>
    public short[] Audio
    {
        get
        {
            lock (gate)
            {
                return [.. audio];
            }
        }
    }

    /// <summary>Seconds of PCMU/PCMA audio received.</summary>
    public double AudioSeconds
    {
        get
        {
            lock (gate)
            {
                return audio.Count / 8000.0;
            }
        }
    }

    /// <summary>Packets of payload type <paramref name="pt"/>.</summary>
    public int CountOf(int pt)
    {
        lock (gate)
        {
            return packets.Count(p => p.PayloadType == pt);
        }
    }

    /// <summary>Writes the decoded audio as an 8 kHz mono PCM16 WAV.</summary>
    public void WriteWav(string path) => WavFile.Write(path, Audio);

    /// <summary>Sends a datagram from the sink's socket (e.g. to open a symmetric-RTP path).</summary>
    public Task SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint to) => socket.SendToAsync(datagram, SocketFlags.None, to).AsTask();

    /// <summary>Waits until at least <paramref name="count"/> packets arrived; false on timeout.</summary>
    public async Task<bool> WaitForPacketsAsync(int count, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (PacketCount < count)
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(20).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Waits until no packet has arrived for <paramref name="quiet"/> (or <paramref name="timeout"/> passes).</summary>
    public async Task WaitForQuietAsync(TimeSpan quiet, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            DateTime last;
            lock (gate)
            {
                last = packets.Count == 0 ? DateTime.MinValue : packets[^1].ArrivalUtc;
            }

            if (last != DateTime.MinValue && DateTime.UtcNow - last >= quiet)
            {
                return;
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>One line for assertion messages.</summary>
    public string Describe()
    {
        string pts = string.Join(", ", CountByPayloadType.OrderBy(k => k.Key).Select(k => $"PT {k.Key}: {k.Value}"));
        short[] a = Audio;
        return $"rtp sink {EndPoint}: {PacketCount} packets ({pts}), {Ssrcs.Count} SSRC(s), digits \"{Digits}\", " +
               $"audio {a.Length / 8000.0:0.00} s at {AudioAnalysis.RmsDbfs(a):0.0} dBFS, malformed {MalformedCount}";
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        socket.Dispose();
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

    private async Task ReceiveLoopAsync()
    {
        byte[] buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!stop.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier echo shows up here on Linux; keep receiving.
                continue;
            }

            var from = (IPEndPoint)r.RemoteEndPoint;
            Record(buffer.AsSpan(0, r.ReceivedBytes), from);
            if (Echo)
            {
                try
                {
                    await socket.SendToAsync(buffer.AsMemory(0, r.ReceivedBytes), SocketFlags.None, from, stop.Token).ConfigureAwait(false);
                }
                catch (SocketException)
                {
                    // far end gone
                }
            }
        }
    }

    private void Record(ReadOnlySpan<byte> d, IPEndPoint from)
    {
        if (d.Length < 12 || (d[0] >> 6) != 2)
        {
            Interlocked.Increment(ref malformed);
            return;
        }

        int csrc = d[0] & 0x0F;
        int offset = 12 + (4 * csrc);
        if ((d[0] & 0x10) != 0 && d.Length >= offset + 4)
        {
            offset += 4 + (4 * BinaryPrimitives.ReadUInt16BigEndian(d[(offset + 2)..]));
        }

        int end = d.Length;
        if ((d[0] & 0x20) != 0 && end > offset)
        {
            end -= d[end - 1];
        }

        if (offset > end)
        {
            Interlocked.Increment(ref malformed);
            return;
        }

        int pt = d[1] & 0x7F;
        ReadOnlySpan<byte> payload = d[offset..end];
        var rec = new RtpPacketRecord(
            DateTime.UtcNow,
            from,
            pt,
            (d[1] & 0x80) != 0,
            BinaryPrimitives.ReadUInt16BigEndian(d[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(d[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(d[8..]),
            payload.Length);
        lock (gate)
        {
            packets.Add(rec);
            if (pt is 0 or 8)
            {
                G711.Decode(pt, payload, audio);
            }
            else if (EventPayloadTypes.Contains(pt) && payload.Length >= 4 && (payload[1] & 0x80) != 0 &&
                     endedEvents.Add((rec.Ssrc, rec.Timestamp)))
            {
                digits.Append(PcapBuilder.DigitOf(payload[0]));
            }
        }
    }
}
