using System.Net;
using System.Text;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sdp;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>Outcome of one SDP offer/answer step: the SDP to send and how to configure our RTP session.</summary>
public sealed record NegotiationResult(bool Success, byte[]? Sdp, RtpSessionParameters? Parameters, string? Failure)
{
    public static NegotiationResult Fail(string reason) => new(false, null, null, reason);
}

/// <summary>
/// Bridges SIP bodies and our RTP sessions with RFC 3264 offer/answer: PCMU, PCMA and telephone-event, the SDP
/// address being the local address that routes to the peer.
/// </summary>
public sealed class MediaNegotiator(LocalAddressResolver addresses)
{
    /// <summary>Answers a remote offer for <paramref name="session"/>; failure means 488 Not Acceptable Here.</summary>
    public NegotiationResult Answer(byte[] offerBody, RtpSession session, MediaSdpState state, SipEndPoint remote)
    {
        if (!SdpParser.TryParse(offerBody, out var offer, out var error))
        {
            return NegotiationResult.Fail("Bad SDP: " + error);
        }
        var answer = OfferAnswer.CreateAnswer(offer!, Local(session, state, remote), out var negotiated, out var failure);
        if (answer is null || negotiated is null)
        {
            return NegotiationResult.Fail(failure ?? "No common codec");
        }
        var body = Encoding.UTF8.GetBytes(answer.ToString());
        state.LastLocal = body;
        return new NegotiationResult(true, body, ToParameters(negotiated), null);
    }

    public byte[] CreateOffer(RtpSession session, MediaSdpState state, SipEndPoint remote)
    {
        var body = Encoding.UTF8.GetBytes(OfferAnswer.CreateOffer(Local(session, state, remote)).ToString());
        state.LastLocal = body;
        return body;
    }

    /// <summary>Processes the peer's answer to the offer we sent.</summary>
    public NegotiationResult ProcessAnswer(byte[] offerBody, byte[] answerBody, SipEndPoint remote)
    {
        if (!SdpParser.TryParse(offerBody, out var offer, out _))
        {
            return NegotiationResult.Fail("Our own offer does not parse");
        }
        if (!SdpParser.TryParse(answerBody, out var answer, out var error))
        {
            return NegotiationResult.Fail("Bad SDP answer: " + error);
        }
        var negotiated = OfferAnswer.ProcessAnswer(offer!, answer!, out var failure);
        return negotiated is null
            ? NegotiationResult.Fail(failure ?? "Unusable answer")
            : new NegotiationResult(true, null, ToParameters(negotiated), null);
    }

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
