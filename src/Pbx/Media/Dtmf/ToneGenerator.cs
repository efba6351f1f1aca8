namespace Telephony.Pbx.Media.Dtmf;

/// <summary>
/// Phase-continuous generator of DTMF digits (ITU-T Q.23 frequency pairs) and single tones for 8 kHz PCM16, used to
/// send in-band DTMF and to play call-progress tones. Renders frame by frame without allocating; phase carries over
/// between frames so there are no clicks at frame boundaries.
/// </summary>
public sealed class ToneGenerator
{
    /// <summary>Default amplitude per DTMF tone (≈ -10 dBm0 each).</summary>
    public const short DefaultDtmfAmplitude = 7000;

    private readonly int _sampleRateHz;
    private double _phase1, _phase2, _step1, _step2;
    private double _amplitude1, _amplitude2;
    private int _remainingSamples;
    private int _silenceSamples;

    public ToneGenerator(int sampleRateHz = 8000)
    {
        _sampleRateHz = sampleRateHz;
    }

    /// <summary>True while tone or its trailing pause remains.</summary>
    public bool IsActive => _remainingSamples > 0 || _silenceSamples > 0;

    /// <summary>Starts a DTMF digit followed by <paramref name="pauseMs"/> of silence; false for an invalid digit.</summary>
    public bool StartDtmf(char digit, int durationMs = 100, int pauseMs = 60, short amplitude = DefaultDtmfAmplitude)
    {
        if (!DtmfDigits.TryGetFrequencies(digit, out var row, out var column))
        {
            return false;
        }

        Start(row, amplitude, column, amplitude, durationMs, pauseMs);
        return true;
    }

    /// <summary>Starts a single tone (e.g. 1 kHz test tone, 425 Hz ringback).</summary>
    public void StartTone(double frequencyHz, int durationMs, short amplitude = 8000) =>
        Start(frequencyHz, amplitude, 0, 0, durationMs, 0);

    public void Stop()
    {
        _remainingSamples = 0;
        _silenceSamples = 0;
    }

    /// <summary>
    /// Writes the next samples into <paramref name="output"/> (overwriting it). Returns false, leaving the output
    /// untouched, when inactive.
    /// </summary>
    public bool Render(Span<short> output)
    {
        if (!IsActive)
        {
            return false;
        }

        for (var i = 0; i < output.Length; i++)
        {
            if (_remainingSamples > 0)
            {
                var value = (_amplitude1 * Math.Sin(_phase1)) + (_amplitude2 * Math.Sin(_phase2));
                output[i] = (short)Math.Clamp(value, short.MinValue, short.MaxValue);
                _phase1 += _step1;
                _phase2 += _step2;
                if (_phase1 > 2 * Math.PI)
                {
                    _phase1 -= 2 * Math.PI;
                }

                if (_phase2 > 2 * Math.PI)
                {
                    _phase2 -= 2 * Math.PI;
                }

                _remainingSamples--;
            }
            else if (_silenceSamples > 0)
            {
                output[i] = 0;
                _silenceSamples--;
            }
            else
            {
                output[i] = 0;
            }
        }

        return true;
    }

    private void Start(double f1, double a1, double f2, double a2, int durationMs, int pauseMs)
    {
        _step1 = 2 * Math.PI * f1 / _sampleRateHz;
        _step2 = 2 * Math.PI * f2 / _sampleRateHz;
        _amplitude1 = a1;
        _amplitude2 = a2;
        _remainingSamples = durationMs * _sampleRateHz / 1000;
        _silenceSamples = pauseMs * _sampleRateHz / 1000;
    }
}
