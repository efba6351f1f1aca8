namespace Telephony.Pbx.Media.Dtmf;

/// <summary>
/// Turns a stream of RFC 4733 telephone-event packets into digits (§2.5.2): one digit per event, reported on the
/// first packet seen of the event (start, continuation or end), so retransmitted end packets and continuations are
/// suppressed. Events are told apart by RTP timestamp (wrap-safe); a packet older than the current event is ignored,
/// and a new segment of a long event (§2.5.1.3: same code, later timestamp, previous not ended) is not a new digit.
/// </summary>
public sealed class DtmfReceiver
{
    private bool _haveEvent;
    private uint _eventTimestamp;
    private byte _eventCode;
    private bool _ended;
    private uint _ssrc;

    /// <summary>Digits reported since creation.</summary>
    public int DigitsReceived { get; private set; }

    /// <summary>Packets that belonged to an already reported event.</summary>
    public int DuplicatesSuppressed { get; private set; }

    /// <summary>
    /// Processes one packet of stream <paramref name="ssrc"/>; a new SSRC forgets the previous event first, since its
    /// timestamps are unrelated (RFC 3550 §5.1).
    /// </summary>
    public bool TryProcess(uint ssrc, uint rtpTimestamp, in TelephoneEvent telephoneEvent, out char digit)
    {
        if (_haveEvent && ssrc != _ssrc)
        {
            _haveEvent = false;
        }

        _ssrc = ssrc;
        return TryProcess(rtpTimestamp, telephoneEvent, out digit);
    }

    /// <summary>Processes one packet; returns true with the digit when it starts a new event.</summary>
    public bool TryProcess(uint rtpTimestamp, in TelephoneEvent telephoneEvent, out char digit)
    {
        digit = '\0';
        if (_haveEvent)
        {
            var delta = (int)(rtpTimestamp - _eventTimestamp);
            if (delta == 0 || delta < 0)
            {
                // Same event (continuation / redundant end) or a stray older packet.
                if (delta == 0 && telephoneEvent.End)
                {
                    _ended = true;
                }

                DuplicatesSuppressed++;
                return false;
            }

            if (!_ended && telephoneEvent.Event == _eventCode && delta <= ushort.MaxValue + 1)
            {
                // Long-duration event split into segments.
                _eventTimestamp = rtpTimestamp;
                _ended = telephoneEvent.End;
                DuplicatesSuppressed++;
                return false;
            }
        }

        _haveEvent = true;
        _eventTimestamp = rtpTimestamp;
        _eventCode = telephoneEvent.Event;
        _ended = telephoneEvent.End;
        digit = DtmfDigits.FromEvent(telephoneEvent.Event);
        if (digit == '\0')
        {
            return false;
        }

        DigitsReceived++;
        return true;
    }

    /// <summary>Forgets the current event (e.g. on SSRC change).</summary>
    public void Reset() => _haveEvent = false;
}
