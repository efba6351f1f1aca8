namespace Telephony.RtpProbe.Calls;

/// <summary>
/// The "webrtc" part of the calls mode's JSON: the common per-kind numbers plus ICE (checks, connected), DTLS
/// (handshakes done and failed, answer to keys), SRTP before keys, RTCP, and the echoed tone (share per call).
/// </summary>
internal static class WebRtcSummary
{
    /// <summary>Share of a decoded window's energy at the tone above which a call hears its own tone.</summary>
    public const double HearsToneShare = 0.5;

    public static Dictionary<string, object> Kind(List<ProbeCall> calls, Func<List<ProbeCall>, Dictionary<string, object>> common)
    {
        var result = common(calls);
        var legs = calls.Select(c => c.WebRtc!).ToList();
        var keyed = legs.Where(l => l.KeysAtMs > 0).ToList();
        var handshake = keyed.Select(l => l.KeysAtMs - l.DtlsStartedAtMs).OrderBy(x => x).ToList();
        var answerToKeys = calls.Where(c => c.WebRtc!.KeysAtMs > 0 && c.AnsweredAtMs > 0)
            .Select(c => c.WebRtc!.KeysAtMs - c.AnsweredAtMs).OrderBy(x => x).ToList();
        var shares = legs.Where(l => l.Tone.Share >= 0).Select(l => l.Tone.Share).OrderBy(x => x).ToList();
        // Media flows from the keys on, not from the answer: expect packets over that span (cf. the plain kinds).
        var expected = calls.Where(c => c.WebRtc!.KeysAtMs > 0)
            .Sum(c => Math.Round(Math.Max(0, (c.ByeAtMs > 0 ? c.ByeAtMs : c.WebRtc!.KeysAtMs) - c.WebRtc!.KeysAtMs) / 20));
        var received = calls.Sum(c => c.Received.Packets);
        result["packetsExpected"] = (long)expected;
        result["returnedPercent"] = expected > 0 ? Math.Round(100.0 * received / expected, 2) : 0;
        result["iceConnected"] = legs.Count(l => l.IceConnected);
        result["stunChecksSent"] = legs.Sum(l => l.ChecksSent);
        result["stunSuccesses"] = legs.Sum(l => l.CheckSuccesses);
        result["stunErrors"] = legs.Sum(l => l.CheckErrors);
        result["dtlsKeyed"] = keyed.Count;
        result["handshakeFailures"] = legs.Count(l => l.Failure is not null);
        result["dtlsHandshakeMsMean"] = handshake.Count > 0 ? Math.Round(handshake.Average(), 1) : 0;
        result["dtlsHandshakeMsMax"] = handshake.Count > 0 ? Math.Round(handshake[^1], 1) : 0;
        var firstReply = keyed.Select(l => l.FirstDtlsAtMs - l.DtlsStartedAtMs).ToList();
        result["dtlsFirstReplyMsMean"] = firstReply.Count > 0 ? Math.Round(firstReply.Average(), 1) : 0;
        result["answerToKeysMsMean"] = answerToKeys.Count > 0 ? Math.Round(answerToKeys.Average(), 1) : 0;
        result["answerToKeysMsP99"] = answerToKeys.Count > 0
            ? Math.Round(answerToKeys[(int)Math.Min(answerToKeys.Count - 1, answerToKeys.Count * 0.99)], 1) : 0;
        result["dtlsDatagramsReceived"] = legs.Sum(l => l.DtlsDatagrams);
        result["srtpBeforeKeys"] = legs.Sum(l => l.EarlyPackets);
        result["rtcpReceived"] = legs.Sum(l => l.RtcpPackets);
        result["opusDecodeErrors"] = legs.Sum(l => l.Tone.DecodeErrors);
        result["toneShareMean"] = shares.Count > 0 ? Math.Round(shares.Average(), 3) : 0;
        result["toneShareMin"] = shares.Count > 0 ? Math.Round(shares[0], 3) : 0;
        result["callsHearingEcho"] = shares.Count(s => s >= HearsToneShare);
        return result;
    }
}
