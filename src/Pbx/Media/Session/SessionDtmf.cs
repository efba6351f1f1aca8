using Telephony.Pbx.Media.Dtmf;

namespace Telephony.Pbx.Media.Session;

/// <summary>
/// A session's DTMF in both directions: RFC 4733 telephone-events received (one digit per event) and, when no
/// telephone-event was negotiated, the in-band Goertzel detector on the decoded audio; digits to send queue up and go
/// out one at a time as RFC 4733 events (§2.5.1, replacing audio while they last) or as an in-band tone pair mixed
/// into the frame. Loop thread only; buffers allocated once. The in-band detector (about 1.1 KB) exists only for a
/// session that runs it: most calls negotiate telephone-event and never do.
/// </summary>
internal sealed class SessionDtmf
{
    private const int MaxPendingDigits = 32;

    private readonly DtmfReceiver _receiver = new();
    private GoertzelDtmfDetector? _detector;
    private DtmfSender _sender = new();
    private int _clockRateHz = 8000;
    private readonly ToneGenerator _tones = new();
    private readonly Queue<(char Digit, int DurationMs)> _pending = new(MaxPendingDigits);

    private char _eventDigit;
    private long _eventDigitTick = -1;

    /// <summary>True while RFC 4733 event packets replace audio.</summary>
    public bool IsSendingEvent => _sender.IsActive;

    /// <summary>
    /// RFC 4733 digit that started during tick <paramref name="tick"/> (for bridges to forward); '\0' otherwise. Stamped
    /// with the tick rather than cleared at each tick start, so the loop needs no extra pass over its sessions.
    /// </summary>
    public char TelephoneEventDigitAt(long tick) => _eventDigitTick == tick ? _eventDigit : '\0';

    /// <summary>
    /// RFC 4733 §2.4.1: events use the clock of the audio they go with (8000 next to G.711, 48000 next to Opus), so
    /// durations and the per-packet step are counted in that clock. A codec change (rare, allocates).
    /// </summary>
    public void UseClockRate(int clockRateHz)
    {
        if (clockRateHz != _clockRateHz)
        {
            _sender.Cancel();
            _sender = new DtmfSender(samplesPerFrame: clockRateHz / 50);
            _clockRateHz = clockRateHz;
        }
    }

    /// <summary>One telephone-event payload in tick <paramref name="tick"/>; true with the digit when it starts an event.</summary>
    public bool OnTelephoneEvent(uint ssrc, uint rtpTimestamp, ReadOnlySpan<byte> payload, long tick, out char digit)
    {
        if (TelephoneEvent.TryRead(payload, out var telephoneEvent)
            && _receiver.TryProcess(ssrc, rtpTimestamp, telephoneEvent, out digit))
        {
            _eventDigit = digit;
            _eventDigitTick = tick;
            return true;
        }

        digit = '\0';
        return false;
    }

    /// <summary>Makes the in-band detector now (with the session's configuration), so the first frame does not.</summary>
    public void PrepareInBandDetection() => _detector ??= new GoertzelDtmfDetector();

    /// <summary>In-band detection on one decoded frame; the digit when one was recognised, else '\0'.</summary>
    public char DetectInBand(ReadOnlySpan<short> frame) => (_detector ??= new GoertzelDtmfDetector()).Process(frame);

    /// <summary>Queues a digit to send (at most 32 waiting; more are ignored).</summary>
    public void Queue(char digit, int durationMs)
    {
        if (_pending.Count < MaxPendingDigits)
        {
            _pending.Enqueue((digit, durationMs));
        }
    }

    /// <summary>Starts the next queued digit when none is playing: as events at <paramref name="timestamp"/>, or in-band.</summary>
    public void StartNext(bool telephoneEvents, uint timestamp)
    {
        if (_sender.IsActive || _tones.IsActive || _pending.Count == 0)
        {
            return;
        }

        var (digit, durationMs) = _pending.Dequeue();
        if (telephoneEvents)
        {
            _sender.Start(digit, durationMs, timestamp, _clockRateHz);
        }
        else
        {
            _tones.StartDtmf(digit, durationMs);
        }
    }

    /// <summary>The next RFC 4733 packet payload of the digit being sent.</summary>
    public void WriteEvent(Span<byte> payload, out int written, out bool marker, out uint eventTimestamp) =>
        _sender.TryWriteNext(payload, out written, out marker, out eventTimestamp);

    /// <summary>Mixes the in-band tone being sent (if any) into <paramref name="frame"/>.</summary>
    public void RenderTone(Span<short> frame) => _tones.Render(frame);
}
