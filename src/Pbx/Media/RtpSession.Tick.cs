using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Media.Transport;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Media;

/// <content>
/// The tick, phase by phase, as the loop calls it: <see cref="ReceiveOne"/> for each readable socket, then
/// <see cref="DecodePhase"/> for every session, then <see cref="SendPhase"/> (RTP, then RTCP when due) for every session.
/// </content>
public sealed partial class RtpSession
{
    private const byte ComfortNoisePayloadType = 13; // RFC 3389

    /// <summary>The peer's media reaches us: sendrecv or (from our side) recvonly.</summary>
    private bool IsReceiving => _configured && _direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    /// <summary>
    /// The RTP timeout applies only to a sendrecv stream: a peer that holds the call (its sendonly, recvonly or
    /// inactive, RFC 3264 §8.4) may well send nothing, or only now and then, for as long as the hold lasts.
    /// </summary>
    private bool ExpectsMedia => _configured && _direction == MediaDirection.SendRecv;

    private bool IsSending =>
        _configured && _io.HasRemote && _direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

    /// <summary>The loop saw <paramref name="socket"/> readable: read and handle one datagram.</summary>
    internal void ReceiveOne(MediaSocket socket, long now)
    {
        if (!_io.TryReceive(socket, out var kind, out var length))
        {
            return;
        }

        var packet = Loop.ReceiveBuffer.AsSpan(0, length);
        switch (kind)
        {
            case MediaPacketKind.Rtp:
                HandleRtp(packet, now);
                break;
            case MediaPacketKind.Rtcp:
                HandleRtcp(packet, now);
                break;
        }
    }

    /// <summary>Decodes this tick's input frame, runs in-band DTMF detection and the RTP timeout.</summary>
    internal void DecodePhase(long now)
    {
        if (!IsReceiving)
        {
            _receiver.Silence();
            return;
        }

        _receiver.Decode(_codec);
        if (RunsInBandDetection)
        {
            var digit = _dtmf.DetectInBand(_receiver.InputFrame);
            if (digit != '\0')
            {
                RaiseDigit(digit);
            }
        }

        if (ExpectsMedia && _receiver.CheckTimeout(now, _timeoutTicks))
        {
            RaiseTimeout();
        }
    }

    /// <summary>
    /// Renders the source, then sends one RFC 4733 event packet or one encoded audio frame, and the periodic RTCP report
    /// when it is due (in the same pass over the sessions).
    /// </summary>
    internal void SendPhase(long now)
    {
        if (!_configured)
        {
            return;
        }

        SendMedia();
        if (_rtcp.TakeDue(now))
        {
            SendRtcpReport(now, bye: false);
        }
    }

    private void SendMedia()
    {
        var output = OutputFrame.AsSpan();
        _source.Render(this, output); // always render, so prompts keep time even while on hold
        _dtmf.StartNext(_telephoneEventPt >= 0, _sender.Timestamp);

        var packet = Loop.SendBuffer.AsSpan();
        var sending = IsSending;
        var headerLength = RtpHeader.FixedSize;
        if (_dtmf.IsSendingEvent)
        {
            // RFC 4733 §2.5.1: events replace audio while the digit lasts.
            _dtmf.WriteEvent(packet[headerLength..], out var written, out var marker, out var eventTimestamp);
            if (sending)
            {
                Send(packet, (byte)_telephoneEventPt, eventTimestamp, marker || _sender.IsFirstPacket, written);
            }
        }
        else
        {
            _dtmf.RenderTone(output);
            if (sending)
            {
                var written = _codec.Encode(output, packet[headerLength..^MediaLoop.SendBufferSlackBytes]);
                if (written > 0)
                {
                    Send(packet, _payloadType, _sender.Timestamp, _sender.IsFirstPacket, written);
                }
            }
        }

        _sender.AdvanceTimestamp(_codec.TimestampUnitsPerFrame);
        FeedTap(output);
    }

    private void HandleRtp(ReadOnlySpan<byte> packet, long now)
    {
        var error = RtpHeader.Read(packet, out var header, out var headerLength);
        if (error != RtpParseError.None)
        {
            Loop.CountDrop(error switch
            {
                RtpParseError.TooShort => MediaDropReason.RtpTooShort,
                RtpParseError.BadVersion => MediaDropReason.RtpBadVersion,
                RtpParseError.CsrcTruncated => MediaDropReason.RtpCsrcTruncated,
                RtpParseError.ExtensionTruncated => MediaDropReason.RtpExtensionTruncated,
                _ => MediaDropReason.RtpBadPadding,
            });
            return;
        }

        if (!IsReceiving)
        {
            Loop.CountDrop(MediaDropReason.NotReceiving);
            return;
        }

        var isEvent = header.PayloadType == _telephoneEventPt || header.PayloadType == _alternateTelephoneEventPt;
        if (!isEvent && header.PayloadType != _payloadType)
        {
            if (header.PayloadType == ComfortNoisePayloadType)
            {
                _receiver.KeepAlive(now); // comfort noise keeps the session alive; we play silence
            }
            else
            {
                Loop.CountDrop(MediaDropReason.UnknownPayloadType);
            }

            return;
        }

        _io.Latch(_io.Source);
        var payload = header.GetPayload(packet, headerLength);
        _receiver.Count(header, payload.Length, now);
        if (isEvent)
        {
            if (_dtmf.OnTelephoneEvent(header.Ssrc, header.Timestamp, payload, Loop.TickCount, out var digit))
            {
                RaiseDigit(digit);
            }

            return;
        }

        _receiver.Buffer(header, payload);
    }

    private void HandleRtcp(ReadOnlySpan<byte> packet, long now)
    {
        if (!_rtcp.OnCompound(packet, _sender.Ssrc, now))
        {
            Loop.CountDrop(MediaDropReason.RtcpMalformed);
            return;
        }

        _io.LearnRtcpSource(_io.Source);
    }

    private void Send(Span<byte> packet, byte payloadType, uint timestamp, bool marker, int payloadLength)
    {
        var headerLength = _sender.WriteHeader(packet, payloadType, timestamp, marker);
        if (_io.SendRtp(packet, headerLength + payloadLength))
        {
            _sender.OnSent(payloadLength);
        }
    }

    /// <summary>Writes SR (when we have sent) or RR, SDES CNAME, optionally BYE, and sends the compound.</summary>
    private void SendRtcpReport(long now, bool bye)
    {
        var buffer = Loop.SendBuffer.AsSpan(0, Loop.SendBuffer.Length - MediaLoop.SendBufferSlackBytes);
        var length = _rtcp.Write(buffer, now, _sender, _receiver, bye);
        if (_io.SendRtcp(Loop.SendBuffer, length))
        {
            _rtcp.ReportsSent++;
        }
    }
}
