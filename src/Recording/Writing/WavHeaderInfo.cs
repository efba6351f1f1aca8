namespace Telephony.Recording.Writing;

/// <summary>
/// What <see cref="WavHeader.TryRead"/> found in a RIFF WAVE header: the format chunk, where the
/// <c>data</c> chunk starts, and the size fields as written (which may still be placeholders).
/// </summary>
/// <param name="FormatTag">WAVE <c>wFormatTag</c> (1 PCM, 6 A-law, 7 mu-law).</param>
/// <param name="Channels">Channel count.</param>
/// <param name="SampleRateHz">Samples per second per channel.</param>
/// <param name="BlockAlign">Bytes per sample frame (all channels).</param>
/// <param name="BitsPerSample">Bits per sample of one channel.</param>
/// <param name="DataOffset">Offset of the first audio byte (just after the <c>data</c> chunk header).</param>
/// <param name="DataLengthField">The <c>data</c> chunk size field as stored.</param>
/// <param name="RiffLengthField">The RIFF size field as stored.</param>
/// <param name="FactOffset">Offset of the <c>fact</c> chunk's sample-count field, or -1 when absent.</param>
public readonly record struct WavHeaderInfo(
    ushort FormatTag,
    int Channels,
    int SampleRateHz,
    int BlockAlign,
    int BitsPerSample,
    int DataOffset,
    uint DataLengthField,
    uint RiffLengthField,
    int FactOffset)
{
    /// <summary>The recording format, when the tag is one this module writes.</summary>
    public RecordingFormat? Format => FormatTag switch
    {
        1 when BitsPerSample == 16 => RecordingFormat.Pcm16,
        6 when BitsPerSample == 8 => RecordingFormat.ALaw,
        7 when BitsPerSample == 8 => RecordingFormat.MuLaw,
        _ => null,
    };
}
