using System.Net.Sockets;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Media;

/// <content>Tick phase (c): render the source, encode, write the RTP header in place and send.</content>
public sealed partial class RtpSession
{
    private bool IsSending =>
        _configured && _remote is not null && _direction is MediaDirection.SendRecv or MediaDirection.SendOnly;

    internal void SendPhase(long now)
    {
        if (!_configured)
        {
            return;
        }

        var output = OutputFrame.AsSpan();
        _source.Render(this, output); // always render, so prompts keep time even while on hold

        if (!_dtmfSender.IsActive && !_toneGenerator.IsActive && _pendingDigits.Count > 0)
        {
            var (digit, durationMs) = _pendingDigits.Dequeue();
            if (_telephoneEventPt >= 0)
            {
                _dtmfSender.Start(digit, durationMs, _timestamp);
            }
            else
            {
                _toneGenerator.StartDtmf(digit, durationMs);
            }
        }

        var packet = Loop.SendBuffer.AsSpan();
        var payload = packet[RtpHeader.FixedSize..];
        var sending = IsSending;
        if (_dtmfSender.IsActive)
        {
            // RFC 4733 §2.5.1: events replace audio while the digit lasts.
            _dtmfSender.TryWriteNext(payload, out var written, out var marker, out var eventTimestamp);
            if (sending)
            {
                Send(packet, (byte)_telephoneEventPt, eventTimestamp, marker || _firstPacket, written);
            }
        }
        else
        {
            _toneGenerator.Render(output);
            if (sending)
            {
                var codes = payload[..MediaLoop.SamplesPerFrame];
                if (_codec == AudioCodec.Pcma)
                {
                    ALaw.Encode(output, codes);
                }
                else
                {
                    MuLaw.Encode(output, codes);
                }

                Send(packet, _payloadType, _timestamp, _firstPacket, codes.Length);
            }
        }

        _timestamp += MediaLoop.SamplesPerFrame;
        FeedTap(output);
    }

    private void Send(Span<byte> packet, byte payloadType, uint timestamp, bool marker, int payloadLength)
    {
        new RtpHeader(payloadType, _sequence, timestamp, _ssrc, marker).TryWrite(packet, out var headerLength);
        try
        {
            _rtp.SendTo(packet[..(headerLength + payloadLength)], SocketFlags.None, _remote!);
        }
        catch (SocketException)
        {
            Loop.CountDrop(MediaDropReason.SendFailed);
            return;
        }

        _firstPacket = false;
        _sequence++;
        _packetsSent++;
        _octetsSent += payloadLength;
        Loop.PacketsOut++;
    }
}
