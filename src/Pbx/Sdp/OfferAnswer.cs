using System.Globalization;
using System.Net;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// RFC 3264 offer/answer for one audio stream: <see cref="CreateOffer"/> (§5), <see cref="CreateAnswer"/> (§6:
/// same m= lines in the same order, unwanted ones rejected with port 0, offerer's payload type numbers and
/// preference kept, direction mirrored) and <see cref="ProcessAnswer"/> (§7). Hold per §8.4, except that with ICE
/// (a=ice-ufrag) c=0.0.0.0 is only the default destination of a peer that trickles its candidates (RFC 8839 §4.2.1.1,
/// RFC 8840 §4.1.1), not hold. RFC 4733 telephone-event is negotiated at the clock of the chosen codec (§2.4.1: 8000
/// next to G.711, 48000 next to Opus).
/// </summary>
public static class OfferAnswer
{
    private const string TelephoneEvent = "telephone-event";

    /// <summary>Builds an offer with one audio m= line from <paramref name="local"/>.</summary>
    public static SdpDescription CreateOffer(LocalMediaConfig local)
    {
        ArgumentNullException.ThrowIfNull(local);
        SdpDescription d = NewSession(local);
        d.Attributes.AddRange(local.OfferSessionAttributes);
        var m = new SdpMedia { Media = "audio", Port = local.Port, Protocol = local.OfferProtocol };
        foreach (SdpCodec c in local.Codecs)
        {
            AddCodec(m, c.PayloadType, c);
        }

        if (local.TelephoneEventPayloadType is { } te)
        {
            AddTelephoneEvent(m, te, 8000, local.TelephoneEvents);
            if (local.TelephoneEvent48kPayloadType is { } te48 && local.Codecs.Any(c => c.ClockRateHz == 48000))
            {
                AddTelephoneEvent(m, te48, 48000, local.TelephoneEvents);
            }
        }

        m.Attributes.Add(new SdpAttribute("ptime", local.PacketTimeMs.ToString(CultureInfo.InvariantCulture)));
        m.Attributes.AddRange(local.OfferAttributes);
        m.SetDirection(local.Direction);
        d.Media.Add(m);
        return d;
    }

    /// <summary>
    /// Answers <paramref name="offer"/>: accepts the first audio m= line in one of <see cref="LocalMediaConfig.AcceptedProtocols"/>
    /// (RTP/AVP by default) that has a codec we support (first in the
    /// offerer's order), rejects every other m= line with port 0. Returns null with <paramref name="failure"/> set when
    /// nothing is acceptable (the caller answers 488 Not Acceptable Here).
    /// </summary>
    public static SdpDescription? CreateAnswer(
        SdpDescription offer, LocalMediaConfig local, out NegotiatedMedia? result, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(local);
        result = null;
        failure = null;
        SdpDescription answer = NewSession(local);
        string? lastProblem = null;
        for (int i = 0; i < offer.Media.Count; i++)
        {
            SdpMedia om = offer.Media[i];
            if (result is null && TryAccept(om, local, out SdpCodec? codec, out int pt, out int? tePt, out lastProblem))
            {
                SdpConnection? oc = om.GetConnection(offer);
                if (oc is null || !oc.TryGetIPAddress(out IPAddress? remote) || remote is null)
                {
                    lastProblem = "offer connection address is not an IP address";
                    answer.Media.Add(Reject(om));
                    continue;
                }

                SdpDirection offered = om.GetDirection(offer);
                bool remoteReceives = offered.Receives() && (UsesIce(offer, om) || !oc.IsHoldAddress);
                bool weSend = remoteReceives && local.Direction.Sends();
                bool weReceive = offered.Sends() && local.Direction.Receives();
                SdpDirection ours = SdpDirections.From(weSend, weReceive);

                var am = new SdpMedia { Media = om.Media, Port = local.Port, Protocol = om.Protocol };
                var chosen = codec!;
                AddCodec(am, pt, chosen);
                if (tePt is { } te)
                {
                    AddTelephoneEvent(am, te, chosen.ClockRateHz, local.TelephoneEvents);
                }

                am.Attributes.Add(new SdpAttribute("ptime", local.PacketTimeMs.ToString(CultureInfo.InvariantCulture)));
                am.SetDirection(ours);
                answer.Media.Add(am);
                result = new NegotiatedMedia(remote, om.Port, chosen.EncodingName, pt, chosen.ClockRateHz, tePt, ours,
                    om.PacketTimeMs ?? local.PacketTimeMs, i, !remoteReceives);
            }
            else
            {
                answer.Media.Add(Reject(om));
            }
        }

        if (result is null)
        {
            failure = offer.Media.Count == 0 ? "offer has no media" : lastProblem ?? "no acceptable audio stream";
            return null;
        }

        return answer;
    }

    /// <summary>
    /// Reads the answer to our <paramref name="offer"/> (RFC 3264 §7): same m= count, the first accepted audio line with
    /// a codec from the offer. Returns null with <paramref name="failure"/> set when the answer is unusable.
    /// </summary>
    public static NegotiatedMedia? ProcessAnswer(SdpDescription offer, SdpDescription answer, out string? failure)
    {
        ArgumentNullException.ThrowIfNull(offer);
        ArgumentNullException.ThrowIfNull(answer);
        if (offer.Media.Count != answer.Media.Count)
        {
            failure = $"answer has {answer.Media.Count} m= lines; offer had {offer.Media.Count}";
            return null;
        }

        failure = "answer rejected every stream";
        for (int i = 0; i < answer.Media.Count; i++)
        {
            SdpMedia om = offer.Media[i];
            SdpMedia am = answer.Media[i];
            if (am.Port == 0 || om.Port == 0 || am.Media != "audio" ||
                !string.Equals(am.Protocol, om.Protocol, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            SdpCodec? codec = null;
            int pt = -1;
            foreach (int p in am.PayloadTypes)
            {
                if (!am.TryGetRtpMap(p, out SdpRtpMap map) && !om.TryGetRtpMap(p, out map))
                {
                    continue;
                }

                if (!IsTelephoneEvent(map) && codec is null && om.PayloadTypes.Contains(p)
                    && FindLocal(OfferedCodecs(om), map) is { } c)
                {
                    codec = c;
                    pt = p;
                }
            }

            int? tePt = codec is null ? null : FindTelephoneEvent(am, codec.ClockRateHz, om);

            if (codec is null)
            {
                failure = $"answer media #{i + 1} has no codec from the offer";
                continue;
            }

            SdpConnection? ac = am.GetConnection(answer);
            if (ac is null || !ac.TryGetIPAddress(out IPAddress? remote) || remote is null)
            {
                failure = "answer connection address is not an IP address";
                continue;
            }

            SdpDirection theirs = am.GetDirection(answer);
            SdpDirection offered = om.GetDirection(offer);
            bool remoteReceives = theirs.Receives() && (UsesIce(answer, am) || !ac.IsHoldAddress);
            SdpDirection ours = SdpDirections.From(
                remoteReceives && offered.Sends(), theirs.Sends() && offered.Receives());
            failure = null;
            return new NegotiatedMedia(remote, am.Port, codec.EncodingName, pt, codec.ClockRateHz, tePt, ours,
                am.PacketTimeMs ?? om.PacketTimeMs ?? 20, i, !remoteReceives)
            {
                AlternateTelephoneEventPayloadType = FindOtherTelephoneEvent(am, om, tePt),
            };
        }

        return null;
    }

    private static bool TryAccept(SdpMedia om, LocalMediaConfig local,
        out SdpCodec? codec, out int pt, out int? tePt, out string? problem)
    {
        codec = null;
        pt = -1;
        tePt = null;
        if (om.Port == 0 || om.Media != "audio" || !RtpProfiles.IsOneOf(om.Protocol, local.AcceptedProtocols))
        {
            problem = om.Port == 0 ? "offered stream is disabled" : $"unsupported media '{om.Media} {om.Protocol}'";
            return false;
        }

        foreach (int p in om.PayloadTypes)
        {
            if (om.TryGetRtpMap(p, out SdpRtpMap map) && !IsTelephoneEvent(map) && FindLocal(local.Codecs, map) is { } c)
            {
                codec = c;
                pt = p;
                break;
            }
        }

        if (codec is not null && local.TelephoneEventPayloadType is not null)
        {
            tePt = FindTelephoneEvent(om, codec.ClockRateHz, null);
        }

        problem = codec is null ? "no common codec" : null;
        return codec is not null;
    }

    private static IEnumerable<SdpCodec> OfferedCodecs(SdpMedia om)
    {
        foreach (int p in om.PayloadTypes)
        {
            if (om.TryGetRtpMap(p, out SdpRtpMap map) && !IsTelephoneEvent(map))
            {
                yield return new SdpCodec(map.EncodingName.ToUpperInvariant(), p, map.ClockRateHz, map.Channels);
            }
        }
    }

    /// <summary>Our codec for an offered rtpmap; Opus matches whatever channel count is written (RFC 7587 §7 says 2,
    /// some peers write none).</summary>
    private static SdpCodec? FindLocal(IEnumerable<SdpCodec> codecs, SdpRtpMap map)
    {
        foreach (SdpCodec c in codecs)
        {
            if (string.Equals(c.EncodingName, map.EncodingName, StringComparison.OrdinalIgnoreCase)
                && c.ClockRateHz == map.ClockRateHz
                && (map.Channels == c.Channels || string.Equals(c.EncodingName, "opus", StringComparison.OrdinalIgnoreCase)))
            {
                return c;
            }
        }

        return null;
    }

    private static bool IsTelephoneEvent(SdpRtpMap map) =>
        string.Equals(map.EncodingName, TelephoneEvent, StringComparison.OrdinalIgnoreCase);

    /// <summary>The first telephone-event of <paramref name="m"/> at <paramref name="clockRateHz"/> (and in <paramref name="offer"/>).</summary>
    private static int? FindTelephoneEvent(SdpMedia m, int clockRateHz, SdpMedia? offer)
    {
        foreach (int p in m.PayloadTypes)
        {
            if ((m.TryGetRtpMap(p, out SdpRtpMap map) || (offer is not null && offer.TryGetRtpMap(p, out map)))
                && IsTelephoneEvent(map) && map.ClockRateHz == clockRateHz
                && (offer is null || offer.PayloadTypes.Contains(p)))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>
    /// A telephone-event of <paramref name="answer"/> (also in <paramref name="offer"/>) other than <paramref name="chosen"/>:
    /// the event stream at the other clock rate, which some peers (Chromium next to Opus) send instead of the chosen one.
    /// </summary>
    private static int? FindOtherTelephoneEvent(SdpMedia answer, SdpMedia offer, int? chosen)
    {
        foreach (int p in answer.PayloadTypes)
        {
            if (p != chosen && offer.PayloadTypes.Contains(p)
                && (answer.TryGetRtpMap(p, out SdpRtpMap map) || offer.TryGetRtpMap(p, out map)) && IsTelephoneEvent(map))
            {
                return p;
            }
        }

        return null;
    }

    /// <summary>ICE in use for this stream (RFC 8839 §5.4 a=ice-ufrag at media or session level).</summary>
    private static bool UsesIce(SdpDescription session, SdpMedia m) =>
        m.HasAttribute("ice-ufrag") || session.Attributes.Exists(a => a.Name == "ice-ufrag");

    private static SdpMedia Reject(SdpMedia offered)
    {
        var m = new SdpMedia { Media = offered.Media, Port = 0, Protocol = offered.Protocol };
        m.Formats.AddRange(offered.Formats);
        return m;
    }

    private static SdpDescription NewSession(LocalMediaConfig local)
    {
        SdpConnection c = SdpConnection.For(local.Address);
        var d = new SdpDescription
        {
            Origin = new SdpOrigin(local.UserName, local.SessionId, local.SessionVersion, c.NetworkType, c.AddressType, c.Address),
            SessionName = local.SessionName,
            Connection = c,
        };
        d.Timings.Add(new SdpTiming(0, 0));
        return d;
    }

    private static void AddCodec(SdpMedia m, int pt, SdpCodec codec)
    {
        string p = pt.ToString(CultureInfo.InvariantCulture);
        m.Formats.Add(p);
        m.Attributes.Add(new SdpAttribute("rtpmap",
            new SdpRtpMap(pt, codec.EncodingName, codec.ClockRateHz, codec.Channels).ToString()));
        if (codec.Fmtp is { } fmtp)
        {
            m.Attributes.Add(new SdpAttribute("fmtp", string.Create(CultureInfo.InvariantCulture, $"{p} {fmtp}")));
        }
    }

    private static void AddTelephoneEvent(SdpMedia m, int pt, int clockRateHz, string events) =>
        AddCodec(m, pt, new SdpCodec(TelephoneEvent, pt, clockRateHz, Fmtp: events));
}
