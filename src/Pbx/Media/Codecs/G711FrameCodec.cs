using Telephony.Pbx.Contracts.Codecs;

namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// G.711 µ-law (PCMU, PT 0) or A-law (PCMA, PT 8) at 8000 Hz, one byte per sample (RFC 3551 §4.5.14). Stateless, so
/// one shared instance per law; no concealment of its own.
/// </summary>
public sealed class G711FrameCodec : IAudioFrameCodec
{
    private readonly bool _aLaw;

    private G711FrameCodec(bool aLaw) => _aLaw = aLaw;

    public static G711FrameCodec MuLaw { get; } = new(aLaw: false);
    public static G711FrameCodec ALaw { get; } = new(aLaw: true);

    public int ClockRateHz => 8000;
    public int TimestampUnitsPerFrame => 160;

    /// <summary>Up to 40 ms of G.711 is buffered (a longer packet is truncated to the 20 ms frame on decode).</summary>
    public int MaxPayloadBytes => 320;

    public int Encode(ReadOnlySpan<short> pcm, Span<byte> payload)
    {
        var codes = payload[..pcm.Length];
        if (_aLaw)
        {
            Contracts.Codecs.ALaw.Encode(pcm, codes);
        }
        else
        {
            Contracts.Codecs.MuLaw.Encode(pcm, codes);
        }

        return codes.Length;
    }

    public bool Decode(ReadOnlySpan<byte> payload, Span<short> pcm)
    {
        var codes = payload[..Math.Min(payload.Length, pcm.Length)];
        if (_aLaw)
        {
            Contracts.Codecs.ALaw.Decode(codes, pcm);
        }
        else
        {
            Contracts.Codecs.MuLaw.Decode(codes, pcm);
        }

        pcm[codes.Length..].Clear();
        return true;
    }

    public bool Conceal(Span<short> pcm) => false;

    public bool Recover(ReadOnlySpan<byte> nextPayload, Span<short> pcm) => false;

    public void Dispose()
    {
    }
}
