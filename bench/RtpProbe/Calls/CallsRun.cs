using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// The calls mode: places <see cref="CallsOptions.Calls"/> calls at <see cref="CallsOptions.RatePerSecond"/> from the
/// trunk address, <see cref="CallsOptions.SrtpCalls"/> of them with SRTP (SDES, RFC 4568), each talking for
/// <see cref="CallsOptions.CallSeconds"/> after its answer, then prints one JSON object with, per kind (srtp, plain),
/// what came back; with <c>--webrtc N</c>, N of them are WebRTC-style legs (ICE, DTLS-SRTP, Opus: <see cref="WebRtcLeg"/>)
/// reported under "webrtc". Exit status 0 when every call was answered, ended by our BYE, decrypted without a failure and heard
/// its own audio echoed (WebRTC legs: their tone, see <see cref="OpusToneCheck"/>) (when <c>--expect-echo</c> is not 0).
/// </summary>
internal static class CallsRun
{
    public static int Run(string[] args)
    {
        CallsOptions options;
        try
        {
            options = CallsOptions.Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            Console.Error.WriteLine("calls mode: " + e.Message);
            return 2;
        }
        var clock = Stopwatch.StartNew();
        double NowMs() => clock.Elapsed.TotalMilliseconds;
        var runId = DateTime.UtcNow.ToString("HHmmssfff", CultureInfo.InvariantCulture) + "-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var certificate = options.WebRtcCalls > 0 ? DtlsCertificate.Generate(commonName: "RtpProbe") : null;
        var calls = Enumerable.Range(0, options.Calls).Select(i => new ProbeCall(i, options.IsSrtp(i), runId)
        {
            WebRtc = options.IsWebRtc(i) ? new WebRtcLeg(certificate!, NowMs) : null,
        }).ToList();
        _ = options.WebRtcCalls > 0 ? OpusTone.Packets : null; // encode the tone before the first call
        using var media = new MediaPump(options, options.TalkFile is null ? null : File.ReadAllBytes(options.TalkFile), NowMs);
        using var sip = new SipSignalling(options, calls, media, NowMs, runId);
        media.Start();
        sip.Start();
        Console.Error.WriteLine($"calls: {options.Calls} to {options.Number} at {options.Server} ({options.SrtpCalls} SRTP, {options.WebRtcCalls} WebRTC), " +
            $"{options.CallSeconds} s each, {options.RatePerSecond}/s");

        var placed = 0;
        double allUpMs = 0, firstByeMs = 0;
        while (NowMs() < options.TimeoutSeconds * 1000)
        {
            var due = Math.Min(options.Calls, (int)(NowMs() / 1000 * options.RatePerSecond) + 1);
            while (placed < due)
            {
                sip.Invite(calls[placed++]);
            }
            sip.Tick();
            if (allUpMs == 0 && placed == options.Calls && calls.All(c => c.Phase != CallPhase.Inviting))
            {
                allUpMs = NowMs();
            }
            if (firstByeMs == 0 && calls.Any(c => c.ByeAtMs > 0))
            {
                firstByeMs = calls.Where(c => c.ByeAtMs > 0).Min(c => c.ByeAtMs);
            }
            if (placed == options.Calls && calls.All(c => c.Phase == CallPhase.Done))
            {
                break;
            }
            Thread.Sleep(5);
        }
        foreach (var c in calls.Where(c => c.Phase != CallPhase.Done))
        {
            c.Failure ??= $"still {c.Phase} at the run's time limit";
            c.Talking = false;
        }
        Thread.Sleep(500); // the last packets in flight
        foreach (var c in calls.Where(c => c.WebRtc?.Failure is not null))
        {
            c.Failure ??= c.WebRtc!.Failure;
        }

        var summary = new Dictionary<string, object>
        {
            ["calls"] = options.Calls,
            ["srtpCalls"] = options.SrtpCalls,
            ["callSeconds"] = options.CallSeconds,
            ["rate"] = options.RatePerSecond,
            ["number"] = options.Number,
            ["allUpAtSeconds"] = Math.Round(allUpMs / 1000, 2),
            ["firstByeAtSeconds"] = Math.Round(firstByeMs / 1000, 2),
            ["endedAtSeconds"] = Math.Round(NowMs() / 1000, 2),
            ["sipRetransmissions"] = sip.Retransmissions,
            ["sipUnknownMessages"] = sip.UnknownMessages,
            ["sipTransport"] = options.WebSocket is null ? "udp" : "ws",
            ["webSocketFailures"] = sip.WebSocketFailures,
            ["rtpUnknownPackets"] = media.UnknownPackets,
            ["talkLateTicks"] = media.LateTicks,
            ["talkSendErrors"] = media.SendErrors,
            ["srtp"] = Kind(calls.Where(c => c.Srtp).ToList()),
            ["plain"] = Kind(calls.Where(c => !c.Srtp && c.WebRtc is null).ToList()),
            ["webrtc"] = WebRtcSummary.Kind(calls.Where(c => c.WebRtc is not null).ToList(), Kind),
            ["failures"] = calls.Where(c => c.Failure is not null).GroupBy(c => c.Failure!)
                .ToDictionary(g => g.Key, g => g.Count()),
        };
        Console.WriteLine(JsonSerializer.Serialize(summary));
        var clean = calls.All(c => c.Failure is null && c.AuthFailures == 0 && c.OtherUnprotectErrors == 0
            && c.Received.Packets > 0 && (!options.ExpectEcho || c.EchoedFrames > 0
                || c.WebRtc?.Tone.Share >= WebRtcSummary.HearsToneShare));
        media.Dispose(); // the talker and receiver stop before the legs' SRTP contexts are wiped
        foreach (var c in calls)
        {
            c.WebRtc?.Dispose();
        }
        return clean ? 0 : 1;
    }

    internal static Dictionary<string, object> Kind(List<ProbeCall> calls)
    {
        var answered = calls.Where(c => c.AnsweredAtMs > 0).ToList();
        var expected = answered.Sum(c => Math.Round(((c.ByeAtMs > 0 ? c.ByeAtMs : c.AnsweredAtMs) - c.AnsweredAtMs) / 20));
        var received = calls.Sum(c => c.Received.Packets);
        var bySeq = calls.Sum(c => c.Received.Expected);
        var lost = calls.Sum(c => c.Received.Lost);
        var jitters = calls.Where(c => c.Received.Packets > 10).Select(c => c.Received.JitterMs).OrderBy(j => j).ToList();
        var setup = answered.Select(c => c.AnsweredAtMs - c.InvitedAtMs).OrderBy(x => x).ToList();
        return new Dictionary<string, object>
        {
            ["calls"] = calls.Count,
            ["answered"] = answered.Count,
            ["completed"] = calls.Count(c => c.Failure is null && c.Phase == CallPhase.Done),
            ["failed"] = calls.Count(c => c.Failure is not null),
            ["serverHungUp"] = calls.Count(c => c.ServerHungUp),
            ["inviteTo200MsMean"] = setup.Count > 0 ? Math.Round(setup.Average(), 1) : 0,
            ["inviteTo200MsMax"] = setup.Count > 0 ? Math.Round(setup[^1], 1) : 0,
            ["packetsSent"] = calls.Sum(c => c.PacketsSent),
            ["protectErrors"] = calls.Sum(c => c.ProtectErrors),
            ["packetsReturned"] = received,
            ["packetsExpected"] = (long)expected,
            ["returnedPercent"] = expected > 0 ? Math.Round(100.0 * received / expected, 2) : 0,
            ["lossPercent"] = bySeq > 0 ? Math.Round(100.0 * lost / bySeq, 3) : 0,
            ["jitterMsMean"] = jitters.Count > 0 ? Math.Round(jitters.Average(), 2) : 0,
            ["jitterMsP99"] = jitters.Count > 0 ? Math.Round(jitters[(int)Math.Min(jitters.Count - 1, jitters.Count * 0.99)], 2) : 0,
            ["maxGapMs"] = calls.Count > 0 ? Math.Round(calls.Max(c => c.Received.MaxGapMs), 1) : 0,
            ["unprotectOk"] = calls.Sum(c => c.UnprotectOk),
            ["authFailures"] = calls.Sum(c => c.AuthFailures),
            ["otherUnprotectErrors"] = calls.Sum(c => c.OtherUnprotectErrors),
            ["echoedFrames"] = calls.Sum(c => c.EchoedFrames),
            ["callsHearingEcho"] = calls.Count(c => c.EchoedFrames > 0),
        };
    }
}
