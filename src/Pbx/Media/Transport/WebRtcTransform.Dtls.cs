using Telephony.Pbx.Rtp.Srtp;
using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Media.Transport;

/// <content>The DTLS side: records out to the ICE-chosen address, SRTP keyed from the handshake (RFC 5764 §4.2).</content>
public sealed partial class WebRtcTransform
{
    /// <summary>Handshake thread (or pool): keys → SRTP contexts, published to the loop by one volatile write.</summary>
    private static void OnHandshake(Task<DtlsSrtpKeys> handshake, object? state)
    {
        var self = (WebRtcTransform)state!;
        if (!handshake.IsCompletedSuccessfully)
        {
            var error = handshake.Exception?.InnerException;
            self.Fail(error is DtlsHandshakeException dtls
                ? $"DTLS handshake failed ({dtls.Reason}): {dtls.Message}"
                : $"DTLS handshake failed: {error?.Message}");
            return;
        }

        var keys = handshake.Result;
        if (!Rtp.Srtp.SrtpProfile.TryFromDtlsProtectionProfileId((ushort)keys.Profile, out var profile))
        {
            self.Fail($"DTLS negotiated {keys.Profile}, which our SRTP does not implement");
            return;
        }

        var srtp = new SrtpTransform(
            SrtpContext.CreateOutbound(profile, keys.LocalKey.Span, keys.LocalSalt.Span),
            SrtpContext.CreateInbound(profile, keys.RemoteKey.Span, keys.RemoteSalt.Span),
            muxed: true);
        if (self._context is { } context)
        {
            srtp.Attach(context);
        }

        self._srtp = srtp;
        if (self._detached)
        {
            Interlocked.Exchange(ref self._srtp, null)?.Detach(); // closed meanwhile: wipe the keys
        }
    }

    /// <summary>The association ended after (or instead of) the handshake: the peer closed it or sent an alert.</summary>
    private void OnDtlsClosed(DtlsFailureReason reason)
    {
        if (!_detached && reason != DtlsFailureReason.LocallyClosed)
        {
            Fail(reason == DtlsFailureReason.PeerClosed
                ? "DTLS closed by the peer (close_notify)"
                : $"DTLS ended: {reason}");
        }
    }

    /// <summary>
    /// Sends DTLS records from the session's one socket to the peer: the ICE-nominated address, or before nomination
    /// the source of a valid check. Called on the DTLS thread or the pool; the address is an immutable published copy.
    /// </summary>
    private sealed class DtlsSender(WebRtcTransform owner) : IDtlsDatagramSender
    {
        public void Send(ReadOnlySpan<byte> datagram)
        {
            var to = owner._destination;
            var context = owner._context;
            if (to is null || context is null)
            {
                Interlocked.Increment(ref owner._dtlsUnsent); // the peer's retransmission brings us back here
                return;
            }

            context.Channel.TrySend(MediaSocket.Rtp, datagram, to);
        }
    }
}
