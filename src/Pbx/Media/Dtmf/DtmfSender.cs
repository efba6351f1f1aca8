namespace Telephony.Pbx.Media.Dtmf;

/// <summary>
/// Produces the RFC 4733 §2.5.1 packet sequence for one digit, one packet per 20 ms tick: all packets carry the event
/// start timestamp, the first has the marker bit, the duration grows by one frame per packet, and the end is sent
/// three times with the final duration (§2.5.1.4).
/// </summary>
public sealed class DtmfSender
{
    /// <summary>Number of packets sent with the E bit.</summary>
    public const int EndPacketCount = 3;

    private byte _event;
    private int _durationUnits;
    private int _elapsedUnits;
    private int _endsSent;
    private bool _first;

    public DtmfSender(int samplesPerFrame = 160, byte volume = 10)
    {
        SamplesPerFrame = samplesPerFrame;
        Volume = volume;
    }

    public int SamplesPerFrame { get; }

    /// <summary>Volume in -dBm0 written in each packet.</summary>
    public byte Volume { get; }

    /// <summary>True while packets remain to be sent.</summary>
    public bool IsActive { get; private set; }

    /// <summary>RTP timestamp of the current event.</summary>
    public uint EventTimestamp { get; private set; }

    /// <summary>Starts a digit at <paramref name="startTimestamp"/>; returns false for an invalid digit.</summary>
    public bool Start(char digit, int durationMs, uint startTimestamp, int clockRateHz = 8000)
    {
        if (!DtmfDigits.TryGetEvent(digit, out var code))
        {
            return false;
        }

        _event = code;
        _durationUnits = Math.Clamp(durationMs * clockRateHz / 1000, SamplesPerFrame, ushort.MaxValue);
        _elapsedUnits = 0;
        _endsSent = 0;
        _first = true;
        EventTimestamp = startTimestamp;
        IsActive = true;
        return true;
    }

    /// <summary>Writes the next packet's payload. Returns false when the sequence is complete.</summary>
    public bool TryWriteNext(Span<byte> payload, out int written, out bool marker, out uint timestamp)
    {
        written = 0;
        marker = false;
        timestamp = EventTimestamp;
        if (!IsActive)
        {
            return false;
        }

        marker = _first;
        _first = false;
        bool end;
        if (_elapsedUnits + SamplesPerFrame < _durationUnits)
        {
            _elapsedUnits += SamplesPerFrame;
            end = false;
        }
        else
        {
            _elapsedUnits = _durationUnits;
            end = true;
            _endsSent++;
            if (_endsSent >= EndPacketCount)
            {
                IsActive = false;
            }
        }

        return new TelephoneEvent(_event, end, Volume, (ushort)_elapsedUnits).TryWrite(payload, out written);
    }

    public void Cancel() => IsActive = false;
}
