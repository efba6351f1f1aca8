using System.Net;
using System.Text;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.Sdp;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>Outcome of one SDP offer/answer step: the SDP to send and how to configure our RTP session (its parameters,
/// the codec among them, and the transform: plain RTP, SRTP with SDES keys, or the WebRTC stack).</summary>
public sealed record NegotiationResult(bool Success, byte[]? Sdp, RtpSessionParameters? Parameters, string? Failure,
    IRtpTransform? Transform = null)
{
    public static NegotiationResult Fail(string reason) => new(false, null, null, reason);

    /// <summary>Configures <paramref name="session"/> with the negotiated parameters and transform (in that order on its loop).</summary>
    public void ApplyTo(RtpSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        if (Transform is not null)
        {
            session.SetTransform(Transform);
        }
        session.Configure(Parameters!);
    }
}

/// <summary>
/// Bridges SIP bodies and our RTP sessions with RFC 3264 offer/answer: Opus (RFC 7587), PCMU, PCMA and telephone-event
/// at the codec's clock, the SDP address being the local address that routes to the peer, SRTP keyed by SDES
/// (RFC 4568 a=crypto on RTP/SAVP, RFC 3711) as the leg's <see cref="MediaSdpState.Security"/> allows or requires, and
/// WebRTC legs (UDP/TLS/RTP/SAVPF or UDP/TLS/RTP/SAVP: ICE-lite, DTLS-SRTP, rtcp-mux; <see cref="WebRtcNegotiation"/>).
/// </summary>
/// <remarks>
/// Codec policy: an answer takes the first codec of the offer that we support, in the offerer's order (RFC 3264 §6.1),
/// so a phone or a browser gets what it offers first among Opus, PCMU and PCMA. Our offers to SIP phones and trunks list
/// PCMU and PCMA; offers to WebRTC legs (<see cref="MediaSdpState.IsWebRtc"/>) list Opus, PCMU and PCMA. A WebRTC offer
/// is always encrypted (DTLS-SRTP), so it is accepted whatever <c>rtp.srtp</c> says.
/// </remarks>
public sealed class MediaNegotiator
{
    private const string Crypto = "crypto";

    private static readonly IReadOnlyList<SdpCodec> AnswerCodecs = [SdpCodec.Opus, SdpCodec.Pcmu, SdpCodec.Pcma];
    private static readonly IReadOnlyList<SdpCodec> WebRtcOfferCodecs = [SdpCodec.Opus, SdpCodec.Pcmu, SdpCodec.Pcma];

    private readonly LocalAddressResolver _addresses;
    private readonly WebRtcNegotiation _webRtc;
    private readonly Media.Codecs.OpusEncoderSettings? _opus;

    /// <summary>A negotiator; <paramref name="opus"/> = the encoder settings of Opus sessions (null: the defaults).</summary>
    public MediaNegotiator(LocalAddressResolver addresses, WebRtcMediaSettings? webRtc = null, Media.Codecs.OpusEncoderSettings? opus = null)
    {
        _addresses = addresses;
        _webRtc = new WebRtcNegotiation(webRtc ?? new WebRtcMediaSettings());
        _opus = opus;
    }

    /// <summary>The DTLS certificate WebRTC legs present (its fingerprint is in their SDP).</summary>
    public WebRtc.Dtls.DtlsCertificate Certificate => _webRtc.Certificate;

    /// <summary>Answers a remote offer for <paramref name="session"/>; failure means 488 Not Acceptable Here.</summary>
    public NegotiationResult Answer(byte[] offerBody, RtpSession session, MediaSdpState state, SipEndPoint remote)
    {
        if (!SdpParser.TryParse(offerBody, out var offer, out var error))
        {
            return NegotiationResult.Fail("Bad SDP: " + error);
        }
        var local = Local(session, state, remote) with
        {
            AcceptedProtocols = AcceptedProtocols(state.Security),
            Codecs = AnswerCodecs,
        };
        if (offer!.Media.Find(m => m.Port != 0 && m.Media == "audio") is { } first && RtpProfiles.IsDtlsSrtp(first.Protocol))
        {
            local = local with { Address = _webRtc.AddressFor(local.Address) }; // c= = the default (first) candidate
        }
        var answer = OfferAnswer.CreateAnswer(offer, local, out var negotiated, out var failure);
        if (answer is null || negotiated is null)
        {
            return NegotiationResult.Fail(state.Security == MediaSecurity.Required && failure is not null
                ? failure + " (SRTP is required: offer RTP/SAVP with a=crypto)"
                : failure ?? "No common codec");
        }
        var offered = offer.Media[negotiated.MediaIndex];
        if (RtpProfiles.IsDtlsSrtp(offered.Protocol))
        {
            var resolved = _addresses.For(remote.EndPoint.Address);
            if (_webRtc.Answer(offer, answer, negotiated, state, resolved, session.LocalRtpPort, out var webRtc) is { } refused)
            {
                return NegotiationResult.Fail(refused);
            }
            ClearSdes(state);
            state.IsWebRtc = true;
            state.Transform = webRtc!;
            return Answered(answer, negotiated, state, webRtc!);
        }
        var secure = offered.Protocol.Equals(RtpProfiles.Savp, StringComparison.OrdinalIgnoreCase);
        var cryptoOffered = offered.Attributes.Where(a => a.Name == Crypto && a.Value is not null).Select(a => a.Value!).ToList();
        IRtpTransform transform = PlainRtpTransform.Instance;
        if (state.Security != MediaSecurity.Off && (secure || cryptoOffered.Count > 0))
        {
            var sdes = SdesNegotiation.Answer(cryptoOffered);
            if (!sdes.Success)
            {
                if (secure)
                {
                    return NegotiationResult.Fail("No acceptable SRTP crypto: " + sdes.Error);
                }
            }
            else
            {
                var keep = state.RemoteCrypto is { } current && current.Format() == sdes.Remote!.Format() && state.LocalCrypto is not null
                    && state.LocalCrypto.Tag == sdes.Remote.Tag;
                if (!keep)
                {
                    state.LocalCrypto = sdes.Local;
                    state.RemoteCrypto = sdes.Remote;
                    state.Transform = NewTransform(state.LocalCrypto!, state.RemoteCrypto!);
                }
                answer.Media[negotiated.MediaIndex].Attributes.Add(new SdpAttribute(Crypto, state.LocalCrypto!.Format()));
                transform = state.Transform;
            }
        }
        if (transform is PlainRtpTransform)
        {
            Plain(state);
        }
        return Answered(answer, negotiated, state, transform);
    }

    private NegotiationResult Answered(SdpDescription answer, NegotiatedMedia negotiated, MediaSdpState state,
        IRtpTransform transform)
    {
        var body = answer.ToBytes();
        state.LastLocal = body;
        return new NegotiationResult(true, body, ToParameters(negotiated), null, transform);
    }

    public byte[] CreateOffer(RtpSession session, MediaSdpState state, SipEndPoint remote)
    {
        var local = Local(session, state, remote);
        if (state.IsWebRtc)
        {
            state.OfferedCrypto = null;
            local = _webRtc.Offer(local with { Codecs = WebRtcOfferCodecs }, state);
        }
        else if (state.Security == MediaSecurity.Required)
        {
            state.OfferedCrypto = SdesCryptoAttribute.CreateOffer();
            local = local with
            {
                OfferProtocol = RtpProfiles.Savp,
                OfferAttributes = [.. state.OfferedCrypto.Select(c => new SdpAttribute(Crypto, c.Format()))],
            };
        }
        else
        {
            state.OfferedCrypto = null;
        }
        var body = OfferAnswer.CreateOffer(local).ToBytes();
        state.LastLocal = body;
        return body;
    }

    /// <summary>Processes the peer's answer to the offer we sent on the leg with <paramref name="state"/>.</summary>
    public NegotiationResult ProcessAnswer(MediaSdpState state, byte[] answerBody, SipEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.LastLocal is not { } offerBody || !SdpParser.TryParse(offerBody, out var offer, out _))
        {
            return NegotiationResult.Fail("Our own offer does not parse");
        }
        if (!SdpParser.TryParse(answerBody, out var answer, out var error))
        {
            return NegotiationResult.Fail("Bad SDP answer: " + error);
        }
        var negotiated = OfferAnswer.ProcessAnswer(offer!, answer!, out var failure);
        if (negotiated is null)
        {
            return NegotiationResult.Fail(failure ?? "Unusable answer");
        }
        IRtpTransform transform = PlainRtpTransform.Instance;
        if (RtpProfiles.IsDtlsSrtp(offer!.Media[negotiated.MediaIndex].Protocol))
        {
            if (_webRtc.ProcessAnswer(answer!, negotiated, state, out var webRtc) is { } problem)
            {
                return NegotiationResult.Fail(problem);
            }
            ClearSdes(state);
            state.Transform = webRtc!;
            transform = webRtc!;
        }
        else if (state.OfferedCrypto is { } offered)
        {
            var value = answer!.Media[negotiated.MediaIndex].Attributes.FirstOrDefault(a => a.Name == Crypto)?.Value;
            if (value is null)
            {
                return NegotiationResult.Fail("SRTP is required but the answer has no a=crypto");
            }
            var accepted = SdesNegotiation.AcceptAnswer(offered, value, out var localKey, out var remoteKey);
            if (accepted != SdesError.None)
            {
                return NegotiationResult.Fail("Unusable SRTP crypto in the answer: " + accepted);
            }
            if (state.RemoteCrypto?.Format() != remoteKey!.Format() || state.LocalCrypto?.Format() != localKey!.Format())
            {
                state.LocalCrypto = localKey;
                state.RemoteCrypto = remoteKey;
                state.Transform = NewTransform(localKey!, remoteKey);
            }
            transform = state.Transform;
        }
        else
        {
            Plain(state);
        }
        return new NegotiationResult(true, null, ToParameters(negotiated), null, transform);
    }

    private static IRtpTransform NewTransform(SdesCryptoAttribute local, SdesCryptoAttribute remote) =>
        new SrtpTransform(local.CreateContext(SrtpDirection.Outbound), remote.CreateContext(SrtpDirection.Inbound));

    private static void Plain(MediaSdpState state)
    {
        ClearSdes(state);
        state.Transform = PlainRtpTransform.Instance;
    }

    private static void ClearSdes(MediaSdpState state)
    {
        state.LocalCrypto = null;
        state.RemoteCrypto = null;
    }

    private static IReadOnlyList<string> AcceptedProtocols(MediaSecurity security) => security switch
    {
        MediaSecurity.Off => [RtpProfiles.Avp, RtpProfiles.UdpTlsSavpf, RtpProfiles.UdpTlsSavp],
        MediaSecurity.Required => [RtpProfiles.Savp, RtpProfiles.UdpTlsSavpf, RtpProfiles.UdpTlsSavp],
        _ => [RtpProfiles.Avp, RtpProfiles.Savp, RtpProfiles.UdpTlsSavpf, RtpProfiles.UdpTlsSavp],
    };

    private LocalMediaConfig Local(RtpSession session, MediaSdpState state, SipEndPoint remote) => new()
    {
        Address = _addresses.For(remote.EndPoint.Address),
        Port = session.LocalRtpPort,
        SessionId = state.SessionId,
        SessionVersion = state.NextVersion(),
    };

    private RtpSessionParameters ToParameters(NegotiatedMedia m)
    {
        var codec = m.CodecName.ToUpperInvariant() switch
        {
            "PCMA" => AudioCodec.Pcma,
            "OPUS" => AudioCodec.Opus,
            _ => AudioCodec.Pcmu,
        };
        var direction = m.Direction switch
        {
            SdpDirection.SendOnly => MediaDirection.SendOnly,
            SdpDirection.RecvOnly => MediaDirection.RecvOnly,
            SdpDirection.Inactive => MediaDirection.Inactive,
            _ => MediaDirection.SendRecv,
        };
        return new RtpSessionParameters(new IPEndPoint(m.RemoteAddress, m.RemotePort), codec, m.PayloadType,
            m.TelephoneEventPayloadType, direction)
        {
            AlternateTelephoneEventPayloadType = m.AlternateTelephoneEventPayloadType,
            Opus = codec == AudioCodec.Opus ? _opus : null,
        };
    }
}
