using System.Net;
using System.Net.Sockets;
using Telephony.Pbx.Contracts.Codecs;
using Telephony.Pbx.Media.Dtmf;
using Telephony.Pbx.Media.JitterBuffer;
using Telephony.Pbx.Media.Loop;
using Telephony.Pbx.Rtp;

namespace Telephony.Pbx.Media;

/// <content>Tick phase (b): drain the RTP socket, validate, latch, jitter-buffer, decode one frame.</content>
public sealed partial class RtpSession
{
    private const int MaxConcealedFrames = 3;
    private const byte ComfortNoisePayloadType = 13; // RFC 3389

    private bool IsReceiving => _configured && _direction is MediaDirection.SendRecv or MediaDirection.RecvOnly;

    /// <summary>Start of every tick, before any receive: clears per-tick state.</summary>
    internal void BeginTick() => TelephoneEventDigitThisTick = '\0';

    /// <summary>Epoll path: the loop saw the RTP socket readable; read one datagram.</summary>
    internal void ReceiveOneRtp(long now)
    {
        var loop = Loop;
        var buffer = loop.ReceiveBuffer;
        var address = loop.ReceiveAddress;
        var length = ReadinessPoller.TryReceiveFrom(RtpFd, buffer, address);
        if (length < 0)
        {
            return;
        }

        loop.PacketsIn++;
        HandleRtp(buffer.AsSpan(0, length), address, now, IsReceiving);
    }

    internal void ReceivePhase(long now)
    {
        var loop = Loop;
        var buffer = loop.ReceiveBuffer;
        var address = loop.ReceiveAddress;
        var receiving = IsReceiving;
        while (!loop.PollsReadiness && _rtp.Available > 0)
        {
            int length;
            try
            {
                length = _rtp.ReceiveFrom(buffer, SocketFlags.None, address);
            }
            catch (SocketException)
            {
                break;
            }

            loop.PacketsIn++;
            HandleRtp(buffer.AsSpan(0, length), address, now, receiving);
        }

        DecodeFrame(receiving);
        if (receiving && !_timedOut && _timeoutTicks > 0 && now - _lastRtpAt > _timeoutTicks)
        {
            _timedOut = true;
            RaiseTimeout();
        }
    }

    private void HandleRtp(ReadOnlySpan<byte> packet, SocketAddress source, long now, bool receiving)
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

        if (!receiving)
        {
            Loop.CountDrop(MediaDropReason.NotReceiving);
            return;
        }

        var isEvent = header.PayloadType == _telephoneEventPt;
        if (!isEvent && header.PayloadType != _payloadType)
        {
            if (header.PayloadType == ComfortNoisePayloadType)
            {
                _lastRtpAt = now; // comfort noise keeps the session alive; we play silence
            }
            else
            {
                Loop.CountDrop(MediaDropReason.UnknownPayloadType);
            }

            return;
        }

        Latch(source);
        _lastRtpAt = now;
        _timedOut = false;
        var payload = header.GetPayload(packet, headerLength);
        _packetsReceived++;
        _octetsReceived += payload.Length;
        _receiveStatistics.Update(header.Ssrc, header.SequenceNumber, header.Timestamp, ToRtpUnits(now));
        if (isEvent)
        {
            if (TelephoneEvent.TryRead(payload, out var telephoneEvent)
                && _dtmfReceiver.TryProcess(header.Ssrc, header.Timestamp, telephoneEvent, out var digit))
            {
                TelephoneEventDigitThisTick = digit;
                RaiseDigit(digit);
            }

            return;
        }

        switch (_jitterBuffer.Put(header.SequenceNumber, header.Timestamp, header.Ssrc, payload))
        {
            case JitterPutResult.Late:
                _late++;
                Loop.CountDrop(MediaDropReason.JitterLate);
                break;
            case JitterPutResult.Duplicate:
                _duplicates++;
                Loop.CountDrop(MediaDropReason.JitterDuplicate);
                break;
            case JitterPutResult.TooLarge:
                Loop.CountDrop(MediaDropReason.JitterTooLarge);
                break;
        }
    }

    /// <summary>Symmetric RTP: after <see cref="LatchAfterPackets"/> valid packets from a new address, send there.</summary>
    private void Latch(SocketAddress source)
    {
        if (_remote is not null && source.Equals(_remote))
        {
            _candidateCount = 0;
            return;
        }

        if (_candidateCount > 0 && source.Equals(_candidate))
        {
            _candidateCount++;
        }
        else
        {
            Copy(source, _candidate);
            _candidateCount = 1;
        }

        if (_candidateCount < LatchAfterPackets)
        {
            return;
        }

        // Rare: allocations are fine here.
        var remote = new SocketAddress(_candidate.Family, _candidate.Size);
        Copy(_candidate, remote);
        _remote = remote;
        var endPoint = (IPEndPoint)new IPEndPoint(IPAddress.IPv6Any, 0).Create(remote);
        _rtcpRemote = new IPEndPoint(endPoint.Address, endPoint.Port + 1).Serialize();
        _candidateCount = 0;
    }

    private void DecodeFrame(bool receiving)
    {
        var input = InputFrame.AsSpan();
        if (!receiving)
        {
            input.Clear();
            return;
        }

        var frame = Loop.FrameBuffer;
        switch (_jitterBuffer.TryGet(frame, out var length, out _))
        {
            case JitterGetResult.Frame:
                var codes = frame.AsSpan(0, Math.Min(length, input.Length));
                if (_codec == AudioCodec.Pcma)
                {
                    ALaw.Decode(codes, input);
                }
                else
                {
                    MuLaw.Decode(codes, input);
                }

                input[codes.Length..].Clear();
                _concealedFrames = 0;
                break;
            case JitterGetResult.Missing when _concealedFrames < MaxConcealedFrames:
                // Packet loss concealment: repeat the previous frame at half amplitude each time.
                _concealedFrames++;
                for (var i = 0; i < input.Length; i++)
                {
                    input[i] = (short)(input[i] >> 1);
                }

                break;
            default:
                input.Clear();
                break;
        }

        if (_telephoneEventPt < 0)
        {
            var digit = _dtmfDetector.Process(input);
            if (digit != '\0')
            {
                RaiseDigit(digit);
            }
        }
    }

    private long ToRtpUnits(long timestamp)
    {
        var frequency = Loop.Time.TimestampFrequency;
        return (timestamp / frequency * AudioClip.SampleRateHz) + (timestamp % frequency * AudioClip.SampleRateHz / frequency);
    }

    private static void Copy(SocketAddress from, SocketAddress to)
    {
        from.Buffer.Span[..from.Size].CopyTo(to.Buffer.Span);
        to.Size = from.Size;
    }
}
