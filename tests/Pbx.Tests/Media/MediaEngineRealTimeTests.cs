using System.Diagnostics;
using System.Net;
using Telephony.Pbx.Media;

namespace Telephony.Pbx.Tests.Media;

/// <summary>The engine with its real paced loop threads, over loopback UDP (bounded to a few seconds).</summary>
public sealed class MediaEngineRealTimeTests
{
    [Fact]
    public async Task Started_engine_paces_packets_at_20ms_and_echoes()
    {
        await using var engine = new MediaEngine(new MediaEngineOptions
        {
            BindAddress = IPAddress.Loopback,
            PortMin = 46000,
            PortMax = 46999,
            LoopCount = 2,
        });
        engine.Start();
        using var far = new FarEnd();
        var s = engine.CreateSession("rt-echo");
        s.Configure(new RtpSessionParameters(far.EndPoint, AudioCodec.Pcmu, 0, null, MediaDirection.SendRecv));
        s.SetSource(EchoSource.Instance);

        var pcm = new short[160];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * 500 * i / 8000));
        }

        var received = new List<(Telephony.Pbx.Rtp.RtpHeader Header, byte[] Payload)>();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 50; i++)
        {
            far.SendPcmu(s.LocalRtpPort, pcm);
            await Task.Delay(20);
            received.AddRange(far.DrainRtp());
        }

        await Task.Delay(100);
        received.AddRange(far.DrainRtp());
        var elapsed = clock.Elapsed;

        // About one packet per 20 ms of wall time (no more than wall time allows; the loop may skip ticks when the machine stalls).
        var expected = elapsed.TotalMilliseconds / 20;
        Assert.InRange(received.Count, expected * 0.7, expected + 3);
        Assert.Contains(received, p => p.Payload.Any(b => b != 0xFF)); // some echoed audio
        var stats = engine.Stats;
        Assert.Equal(1, stats.Sessions);
        Assert.Equal(2, stats.SessionsPerLoop.Count);
        Assert.True(stats.Ticks > 40);
        Assert.True(stats.MaxTickDuration < TimeSpan.FromMilliseconds(500), $"max tick {stats.MaxTickDuration}");
        s.Dispose();
        await Task.Delay(100);
        Assert.Equal(0, engine.Stats.Sessions);
    }
}
