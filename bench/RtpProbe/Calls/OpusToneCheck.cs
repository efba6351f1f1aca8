using Telephony.Pbx.Media.Codecs;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// Whether a WebRTC probe call hears its tone echoed: decodes <see cref="WindowFrames"/> of the server's Opus packets
/// after skipping the first <see cref="SkipFrames"/> (connection and jitter-buffer start) and measures the share of the
/// signal energy at <see cref="OpusTone.ToneHz"/> by Goertzel. Only that window is decoded, so checking 200 calls costs
/// the client ~10,000 decodes in all. Receiver thread only.
/// </summary>
internal sealed class OpusToneCheck
{
    private const int SkipFrames = 50;
    private const int WindowFrames = 50;
    private readonly short[] _pcm = new short[OpusFrameDecoder.MaxPacketSamples];
    private OpusFrameDecoder? _decoder;
    private int _seen;
    private double _toneEnergy;
    private double _totalEnergy;

    /// <summary>Share of the window's energy in the tone (0-1), once the window is complete; otherwise -1.</summary>
    public double Share { get; private set; } = -1;
    public long DecodeErrors { get; private set; }

    public void Add(ReadOnlySpan<byte> payload)
    {
        var index = _seen++;
        if (index < SkipFrames - 1 || Share >= 0)
        {
            return;
        }
        _decoder ??= new OpusFrameDecoder(); // starts one frame early to settle the decoder
        if (_decoder.Decode(payload, _pcm, out var samples) != OpusDecodeResult.Decoded)
        {
            DecodeErrors++;
            return;
        }
        if (index < SkipFrames)
        {
            return;
        }
        Goertzel(_pcm.AsSpan(0, samples));
        if (index + 1 >= SkipFrames + WindowFrames)
        {
            Share = _totalEnergy > 0 ? Math.Min(1, _toneEnergy / _totalEnergy) : 0;
            _decoder.Dispose();
            _decoder = null;
        }
    }

    private void Goertzel(ReadOnlySpan<short> x)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * OpusTone.ToneHz / 48_000.0);
        double s1 = 0, s2 = 0, energy = 0;
        foreach (var sample in x)
        {
            var s = sample + coefficient * s1 - s2;
            s2 = s1;
            s1 = s;
            energy += (double)sample * sample;
        }
        var power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        _toneEnergy += 2 * power / x.Length; // a full-scale sine's energy over the frame is N A²/2, |X|² = (N A / 2)²
        _totalEnergy += energy;
    }
}
