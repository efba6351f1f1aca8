using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using Telephony.Interop.Tests.Infrastructure;

namespace Telephony.Interop.Tests.Promises;

/// <summary>
/// A phone's outgoing RTP for raw-SIP calls: PCMU audio (RFC 3550, PT 0, 20 ms, one SSRC; silence unless
/// <see cref="Talk"/> gives audio) and, on request, RFC 4733 §2.5 DTMF events on the same SSRC and clock (100 ms per
/// key with the marker on the first packet, three end packets, 100 ms of audio between keys). Sent from an
/// <see cref="RtpSink"/>'s socket (symmetric RTP).
/// </summary>
internal sealed class KeypadRtp : IAsyncDisposable
{
    private const int Samples = 160;
    private readonly RtpSink sink;
    private readonly IPEndPoint destination;
    private readonly byte eventPayloadType;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentQueue<(char Digit, TaskCompletionSource Sent)> keys = new();
    private readonly List<short> sentAudio = [];
    private readonly Task loop;
    private readonly byte[] voice = new byte[12 + Samples];
    private readonly byte[] tone = new byte[12 + 4];
    private readonly uint ssrc = (uint)Random.Shared.Next();
    private ushort seq = 1;
    private uint ts;
    private (char Digit, TaskCompletionSource Sent)? current;
    private int eventFrame;
    private int gap;
    private uint eventTs;
    private short[]? audio;
    private int audioOffset;
    private bool recordAudio;
    private readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    private int lateFrames;
    private double startMs;

    public KeypadRtp(RtpSink sink, IPEndPoint destination, byte eventPayloadType = 101)
    {
        this.sink = sink;
        this.destination = destination;
        this.eventPayloadType = eventPayloadType;
        loop = Task.Run(() => RtpPacer.RunAsync(SendFrameAsync, stop.Token));
    }

    /// <summary>Sends <paramref name="samples"/> (8 kHz PCM16) once from the next frame, then silence again; null: silence now.
    /// With <paramref name="keep"/> the samples actually sent are kept in <see cref="SentAudio"/>.</summary>
    public void Talk(short[]? samples, bool keep = false)
    {
        lock (sentAudio)
        {
            audioOffset = 0;
            audio = samples;
            recordAudio = keep;
            lateFrames = 0;
        }
    }

    /// <summary>
    /// Seconds of the kept audio that left more than 100 ms after their 20 ms slot: this phone stalled and then caught
    /// up in a burst (the pacer keeps an absolute schedule), and a far end's jitter buffer may drop such a burst or
    /// still hold it at the hang-up, as it would from a real phone. A loaded test machine is where this happens.
    /// </summary>
    public double LateSeconds
    {
        get
        {
            lock (sentAudio)
            {
                return lateFrames * Samples / 8000.0;
            }
        }
    }

    /// <summary>The audio sent while <see cref="Talk"/> kept it (what the far end should have heard).</summary>
    public short[] SentAudio
    {
        get
        {
            lock (sentAudio)
            {
                return [.. sentAudio];
            }
        }
    }

    /// <summary>Sends <paramref name="digits"/> as RFC 4733 events; completes once the last end packet left.</summary>
    public Task KeysAsync(string digits)
    {
        Task last = Task.CompletedTask;
        foreach (char d in digits)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            keys.Enqueue((d, done));
            last = done.Task;
        }

        return last;
    }

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
        double nowMs = clock.Elapsed.TotalMilliseconds;
        if (n == 0)
        {
            startMs = nowMs; // the pacer's own clock starts here
        }

        if (current is null && gap == 0 && keys.TryDequeue(out var next))
        {
            current = next;
            eventFrame = 0;
            eventTs = ts;
        }

        int sends = 1;
        byte[] packet;
        if (current is { } key)
        {
            // 5 frames of the event (duration growing), then the end bit three times (RFC 4733 §2.5.1.4).
            bool end = eventFrame >= 4;
            int duration = Math.Min(eventFrame + 1, 5) * Samples;
            Header(tone, eventFrame == 0, eventPayloadType, seq++, eventTs, ssrc);
            tone[12] = PcapBuilder.EventCode(key.Digit);
            tone[13] = (byte)((end ? 0x80 : 0) | 10);
            BinaryPrimitives.WriteUInt16BigEndian(tone.AsSpan(14), (ushort)duration);
            packet = tone;
            if (end)
            {
                sends = 3;
                current = null;
                gap = 5;
                key.Sent.TrySetResult();
            }

            eventFrame++;
        }
        else
        {
            Header(voice, n == 0, 0, seq++, ts, ssrc);
            FillVoice(nowMs - startMs - (n * RtpPacer.PacketTimeMs) > 100);
            packet = voice;
            gap = Math.Max(0, gap - 1);
        }

        ts += Samples;
        for (int i = 0; i < sends; i++)
        {
            if (i > 0)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq++);
            }

            if (await RtpPacer.TrySendAsync(sink, packet, destination).ConfigureAwait(false) == RtpSendResult.Closed)
            {
                return false;
            }
        }

        return true;
    }

    private void FillVoice(bool late)
    {
        lock (sentAudio)
        {
            if (late && recordAudio && audio is not null)
            {
                lateFrames++;
            }

            for (int i = 0; i < Samples; i++)
            {
                short s = 0;
                if (audio is { } a)
                {
                    s = a[audioOffset++];
                    if (audioOffset == a.Length)
                    {
                        audio = null;
                    }
                }

                if (recordAudio)
                {
                    sentAudio.Add(s);
                }

                voice[12 + i] = G711.MuLawEncode(s);
            }
        }
    }

    private static void Header(byte[] packet, bool marker, byte payloadType, ushort seq, uint ts, uint ssrc)
    {
        packet[0] = 0x80;
        packet[1] = (byte)((marker ? 0x80 : 0) | payloadType);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), seq);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), ts);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
    }
}
