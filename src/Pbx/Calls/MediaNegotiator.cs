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

/// <summary>Outcome of one SDP offer/answer step: the SDP to send and how to configure our RTP session (its parameters
/// and the transform: plain RTP, or SRTP with the negotiated keys).</summary>
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
/// Bridges SIP bodies and our RTP sessions with RFC 3264 offer/answer: PCMU, PCMA and telephone-event, the SDP
/// address being the local address that routes to the peer, and SRTP keyed by SDES (RFC 4568 a=crypto on RTP/SAVP,
/// RFC 3711) as the leg's <see cref="MediaSdpState.Security"/> allows or requires.
/// </summary>
public sealed class MediaNegotiator(LocalAddressResolver addresses)
{
    private const string Crypto = "crypto";

    /// <summary>Answers a remote offer for <paramref name="session"/>; failure means 488 Not Acceptable Here.</summary>
    public NegotiationResult Answer(byte[] offerBody, RtpSession session, MediaSdpState state, SipEndPoint remote)
    {
        if (!SdpParser.TryParse(offerBody, out var offer, out var error))
        {
            return NegotiationResult.Fail("Bad SDP: " + error);
        }
        var local = Local(session, state, remote) with { AcceptedProtocols = AcceptedProtocols(state.Security) };
        var answer = OfferAnswer.CreateAnswer(offer!, local, out var negotiated, out var failure);
        if (answer is null || negotiated is null)
        {
            return NegotiationResult.Fail(state.Security == MediaSecurity.Required && failure is not null
                ? failure + " (SRTP is required: offer RTP/SAVP with a=crypto)"
                : failure ?? "No common codec");
        }
        var offered = offer!.Media[negotiated.MediaIndex];
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
        var body = Encoding.UTF8.GetBytes(answer.ToString());
        state.LastLocal = body;
        return new NegotiationResult(true, body, ToParameters(negotiated), null, transform);
    }

    public byte[] CreateOffer(RtpSession session, MediaSdpState state, SipEndPoint remote)
    {
        var local = Local(session, state, remote);
        if (state.Security == MediaSecurity.Required)
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
        var body = Encoding.UTF8.GetBytes(OfferAnswer.CreateOffer(local).ToString());
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
        if (state.OfferedCrypto is { } offered)
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
        state.LocalCrypto = null;
        state.RemoteCrypto = null;
        state.Transform = PlainRtpTransform.Instance;
    }

    private static IReadOnlyList<string> AcceptedProtocols(MediaSecurity security) => security switch
    {
        MediaSecurity.Off => [RtpProfiles.Avp],
        MediaSecurity.Required => [RtpProfiles.Savp],
        _ => [RtpProfiles.Avp, RtpProfiles.Savp],
    };

    private LocalMediaConfig Local(RtpSession session, MediaSdpState state, SipEndPoint remote) => new()
    {
        Address = addresses.For(remote.EndPoint.Address),
        Port = session.LocalRtpPort,
        SessionId = state.SessionId,
        SessionVersion = state.NextVersion(),
    };

    private static RtpSessionParameters ToParameters(NegotiatedMedia m)
    {
        var codec = string.Equals(m.CodecName, "PCMA", StringComparison.OrdinalIgnoreCase) ? AudioCodec.Pcma : AudioCodec.Pcmu;
        var direction = m.Direction switch
        {
            SdpDirection.SendOnly => MediaDirection.SendOnly,
            SdpDirection.RecvOnly => MediaDirection.RecvOnly,
            SdpDirection.Inactive => MediaDirection.Inactive,
            _ => MediaDirection.SendRecv,
        };
        return new RtpSessionParameters(new IPEndPoint(m.RemoteAddress, m.RemotePort), codec, m.PayloadType,
            m.TelephoneEventPayloadType, direction);
    }
}
